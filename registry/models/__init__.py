from registry.models.datasets import (
    Annotation,
    AnnotationKind,
    Dataset,
    Item,
    Label,
    Subset,
)
from registry.models.deployments import LIVE_STATES, Deployment, DeploymentState
from registry.models.health import WorkerHeartbeat
from registry.models.jobs import ACTIVE_JOB_STATUSES, Job, JobKind, JobStatus
from registry.models.model_versions import (
    Artifact,
    ModelStatus,
    ModelTag,
    ModelVersion,
    StatusChange,
)
from registry.models.packages import InputType, OutputType, Package
from registry.models.pipelines import (
    ACTIVE_RUN_STATUSES,
    Pipeline,
    PipelineRun,
    PipelineStep,
    PipelineTrigger,
    RunStatus,
    StepName,
    StepStatus,
)
from registry.models.projects import ROLE_RANK, Membership, Project, Role
from registry.models.tokens import ApiToken, hash_token

__all__ = [
    "ACTIVE_RUN_STATUSES",
    "Pipeline",
    "PipelineRun",
    "PipelineStep",
    "PipelineTrigger",
    "RunStatus",
    "StepName",
    "StepStatus",
    "LIVE_STATES",
    "Deployment",
    "DeploymentState",
    "ACTIVE_JOB_STATUSES",
    "Job",
    "JobKind",
    "JobStatus",
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
