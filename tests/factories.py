import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from data import models as data_models
from registry import models
from tests.images import png_bytes


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("password")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Project

    name = factory.Sequence(lambda n: f"Project {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = models.Role.VIEWER


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = data_models.Dataset

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"dataset-{n}")
    annotation_kind = data_models.AnnotationKind.CLASS


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = data_models.Label

    dataset = factory.SubFactory(DatasetFactory)
    name = factory.Sequence(lambda n: f"label-{n}")
    color = "#d62728"
    position = factory.Sequence(lambda n: n)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = data_models.Item

    dataset = factory.SubFactory(DatasetFactory)
    name = factory.Sequence(lambda n: f"img_{n:04d}.png")
    file = factory.LazyAttribute(lambda item: ContentFile(png_bytes(), name=item.name))
    content_type = "image/png"
    size = factory.LazyAttribute(lambda item: len(png_bytes()))
    width = 16
    height = 16


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = data_models.Annotation

    item = factory.SubFactory(ItemFactory)
    label = factory.SubFactory(LabelFactory, dataset=factory.SelfAttribute("..item.dataset"))
    kind = data_models.AnnotationKind.CLASS


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Package

    project = None
    name = factory.Sequence(lambda n: f"package-{n}")
    output_type = models.OutputType.CLASS
    adapter = "worker.adapters.digits_mlp:DigitsMLPAdapter"
    default_configuration = factory.LazyFunction(lambda: {"learning_rate": 0.001, "epochs": 10})


class ModelVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ModelVersion

    project = factory.SubFactory(ProjectFactory)
    package = factory.SubFactory(PackageFactory)
    name = factory.Sequence(lambda n: f"model-{n}")
    configuration = factory.LazyFunction(lambda: {"learning_rate": 0.001, "epochs": 10})


class ArtifactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Artifact

    model = factory.SubFactory(ModelVersionFactory)
    name = factory.Sequence(lambda n: f"weights-{n}.bin")
    file = factory.LazyAttribute(lambda a: ContentFile(b"weights", name=a.name))
    size = 7
    sha256 = "ab6e1e1e4c9f3a0b9b1a6e5a2c5f4c5e6d0b5a5b1f1e5c6b0e2d2a3c0a6e1b2c"
