"""A stand-in for the job's callbacks that remembers every call."""

from dataclasses import dataclass, field


@dataclass
class RecordingCallbacks:
    stop_after: int | None = None  # should_stop answers True once this many epochs logged
    logged: list[tuple[int, dict[str, float]]] = field(default_factory=list)
    progress_reports: list[tuple[float, str]] = field(default_factory=list)

    def log(self, metrics: dict[str, float], step: int) -> None:
        self.logged.append((step, dict(metrics)))

    def progress(self, percent: float, message: str = "") -> None:
        self.progress_reports.append((percent, message))

    def should_stop(self) -> bool:
        return self.stop_after is not None and len(self.logged) >= self.stop_after

    @property
    def steps(self) -> list[int]:
        return [step for step, _ in self.logged]

    @property
    def last(self) -> dict[str, float]:
        return self.logged[-1][1]
