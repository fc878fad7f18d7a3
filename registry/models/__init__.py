from registry.models.model_versions import (
    DEFAULT_QUEUE,
    Artifact,
    ModelStatus,
    ModelTag,
    ModelVersion,
    StatusChange,
    queue_name,
)
from registry.models.packages import InputType, OutputType, Package
from registry.models.projects import ROLE_RANK, Membership, Project, Role
from registry.models.subsets import Subset
from registry.models.tokens import ApiToken, hash_token

__all__ = [
    "DEFAULT_QUEUE",
    "queue_name",
    "ROLE_RANK",
    "ApiToken",
    "Artifact",
    "InputType",
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
    "hash_token",
]
