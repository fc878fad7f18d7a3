from registry.models.datasets import (
    Annotation,
    AnnotationKind,
    Dataset,
    Item,
    Label,
    Subset,
)
from registry.models.health import WorkerHeartbeat
from registry.models.model_versions import (
    Artifact,
    ModelStatus,
    ModelTag,
    ModelVersion,
    StatusChange,
)
from registry.models.packages import InputType, OutputType, Package
from registry.models.projects import ROLE_RANK, Membership, Project, Role
from registry.models.tokens import ApiToken, hash_token

__all__ = [
    "ROLE_RANK",
    "Annotation",
    "AnnotationKind",
    "ApiToken",
    "Artifact",
    "Dataset",
    "InputType",
    "Item",
    "Label",
    "Membership",
    "ModelStatus",
    "ModelTag",
    "ModelVersion",
    "OutputType",
    "Package",
    "Project",
    "Role",
    "StatusChange",
    "Subset",
    "WorkerHeartbeat",
    "hash_token",
]
