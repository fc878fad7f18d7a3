"""A paginator for very long lists: pages sliced on ids, rows read by id."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class IdPaginator(Paginator):
    """Pages sliced on `ids` (a values_list of ids in page order), then `rows` by id.

    Ids only, so OFFSET steps through an index, not the rows it skips. A page in
    the second half is read backwards from the end, so the last pages skip as few
    ids as the first ones. `count`, when known without counting, spares a COUNT.
    """

    def __init__(self, ids: QuerySet, rows: QuerySet, per_page: int, count: int | None = None):
        super().__init__(ids, per_page)
        self.rows = rows
        self._count = count

    @property
    def count(self) -> int:
        if self._count is None:
            self._count = self.object_list.count()
        return self._count

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> list:
        if top <= bottom:
            return []
        ids = self.object_list
        if bottom > self.count // 2:
            ids = ids.reverse()[self.count - top : self.count - bottom]
        else:
            ids = ids[bottom:top]
        return list(self.rows.filter(id__in=ids).order_by("id"))
