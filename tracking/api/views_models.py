"""Logged models and what autologging records beside a run: accepted and kept, so that
`mlflow.<flavor>.autolog()` runs end FINISHED against Modelyard as against MLflow."""

from rest_framework.response import Response

from tracking import logged_models, selectors
from tracking.api.serialize import logged_model_json
from tracking.api.views import WRITE, MlflowView

READ = selectors.READ_ROLE


class LoggedModelCreate(MlflowView):
    def post(self, request):
        experiment = selectors.experiment_for(
            request.user, self.field(request, "experiment_id"), WRITE
        )
        run_id = self.field(request, "source_run_id", required=False)
        logged = logged_models.logged_model_create(
            experiment=experiment,
            run=selectors.run_for(request.user, str(run_id), WRITE) if run_id else None,
            name=self.field(request, "name", required=False),
            model_type=self.field(request, "model_type", required=False),
            tags=self.field(request, "tags", required=False, default=[]),
            params=self.field(request, "params", required=False, default=[]),
        )
        return Response({"model": logged_model_json(logged)})


class LoggedModelDetail(MlflowView):
    def get(self, request, model_id: str):
        logged = logged_models.logged_model_for(request.user, model_id, READ)
        return Response({"model": logged_model_json(logged)})

    def patch(self, request, model_id: str):
        logged = logged_models.logged_model_finalize(
            logged_model=logged_models.logged_model_for(request.user, model_id, WRITE),
            status=self.field(request, "status"),
        )
        return Response({"model": logged_model_json(logged)})

    def delete(self, request, model_id: str):
        logged = logged_models.logged_model_for(request.user, model_id, WRITE)
        logged_models.logged_model_delete(logged_model=logged)
        return Response({})


class LoggedModelTags(MlflowView):
    def patch(self, request, model_id: str):
        logged = logged_models.logged_model_for(request.user, model_id, WRITE)
        tags = self.field(request, "tags", required=False, default=[])
        logged_models.logged_model_set_tags(logged_model=logged, tags=tags)
        return Response({})


class LoggedModelTag(MlflowView):
    def delete(self, request, model_id: str, key: str):
        logged = logged_models.logged_model_for(request.user, model_id, WRITE)
        logged_models.logged_model_delete_tag(logged_model=logged, key=key)
        return Response({})


class LoggedModelParams(MlflowView):
    def post(self, request, model_id: str):
        logged = logged_models.logged_model_for(request.user, model_id, WRITE)
        params = self.field(request, "params", required=False, default=[])
        logged_models.logged_model_log_params(logged_model=logged, params=params)
        return Response({})


class LoggedModelSearch(MlflowView):
    def post(self, request):
        ids = self.field(request, "experiment_ids", required=False, default=[])
        found = logged_models.logged_models_of(list(ids or []), request.user)
        return Response({"models": [logged_model_json(logged) for logged in found]})


class RunLogInputs(MlflowView):
    def post(self, request):
        run = self.run(request)
        for field in ("datasets", "models"):
            records = self.field(request, field, required=False, default=[])
            if records:
                logged_models.run_record(run=run, field="inputs", records=records)
        return Response({})


class RunOutputs(MlflowView):
    def post(self, request):
        records = self.field(request, "models", required=False, default=[])
        logged_models.run_record(run=self.run(request), field="outputs", records=records)
        return Response({})


class RunLogModel(MlflowView):
    def post(self, request):
        logged_models.run_log_model_history(
            run=self.run(request), model_json=self.field(request, "model_json")
        )
        return Response({})
