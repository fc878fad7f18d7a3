"""The demo's digits as a project, a split dataset and a digits-mlp version, for worker tests."""

from data.services import datasets as data_services
from demo.digits import DIGIT_LABELS, digits_zip
from demo.load import BUILT_INS
from registry.models import ModelVersion
from registry.services.models import model_create
from registry.services.packages import package_create
from registry.services.projects import project_create

DIGITS = next(built_in for built_in in BUILT_INS if built_in.name == "digits-mlp")


def digits_model(user) -> ModelVersion:
    """An untrained digits-mlp version on the 1,797 digits, split 70/15/15 with seed 0."""
    project = project_create(name="Digits", user=user)
    dataset = data_services.dataset_create(
        project=project, name="digits", user=user, labels=DIGIT_LABELS
    )
    archive = digits_zip()
    archive.name = "digits.zip"
    data_services.items_import_zip(dataset=dataset, archive=archive, user=user)
    data_services.items_split(dataset=dataset, train=70, validation=15, test=15, seed=0)
    package = package_create(
        project=project,
        name="digits-mlp",
        adapter=DIGITS.adapter,
        output_type="class",
        default_configuration=DIGITS.configuration,
    )
    return model_create(
        project=project, package=package, name="digits v1", user=user, dataset=dataset
    )


def public_digits_mlp() -> ModelVersion:
    """The public digits-mlp package and its pretrained version (no weights yet), as
    load_demo makes them."""
    from tests.factories import ModelVersionFactory, PackageFactory

    package = PackageFactory(
        project=None,
        name=DIGITS.name,
        adapter=DIGITS.adapter,
        output_type=DIGITS.output_type,
        default_configuration=DIGITS.configuration,
    )
    return ModelVersionFactory(
        project=None,
        package=package,
        name=DIGITS.pretrained,
        configuration=DIGITS.configuration,
        labels=DIGIT_LABELS,
    )
