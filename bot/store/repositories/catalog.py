"""The approved-course catalog and the continuing-education providers."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import CourseRow, ProviderRow
from rules.model import CatalogCourse, Provider


class CatalogRepository:
    """Catalog courses (by id) and providers (by name) in one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list_courses(self) -> list[CatalogCourse]:
        rows = self.session.execute(select(CourseRow).order_by(CourseRow.id)).scalars()
        return [_course(row) for row in rows]

    def get_course(self, course_id: str) -> CatalogCourse | None:
        row = self.session.get(CourseRow, course_id)
        return None if row is None else _course(row)

    def course_ids(self) -> set[str]:
        return set(self.session.execute(select(CourseRow.id)).scalars())

    def list_providers(self) -> list[Provider]:
        rows = self.session.execute(select(ProviderRow).order_by(ProviderRow.name)).scalars()
        return [Provider(name=row.name, approved=row.approved) for row in rows]

    def upsert_course(self, course: CatalogCourse) -> bool:
        """Insert or update a course by id; True when something changed."""
        row = self.session.get(CourseRow, course.id)
        if row is None:
            self.session.add(
                CourseRow(id=course.id, title=course.title, provider=course.provider, ceus=course.ceus)
            )
            return True
        if _course(row) == course:
            return False
        row.title, row.provider, row.ceus = course.title, course.provider, Decimal(course.ceus)
        return True

    def upsert_provider(self, provider: Provider) -> bool:
        """Insert or update a provider by exact name; True when something changed."""
        row = self.session.execute(
            select(ProviderRow).where(ProviderRow.name == provider.name)
        ).scalar_one_or_none()
        if row is None:
            self.session.add(ProviderRow(name=provider.name, approved=provider.approved))
            return True
        if row.approved == provider.approved:
            return False
        row.approved = provider.approved
        return True


def _course(row: CourseRow) -> CatalogCourse:
    return CatalogCourse(id=row.id, title=row.title, provider=row.provider, ceus=row.ceus)
