"""What anyone may see of a user: the public profile page."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ...models import Collection, Contribution, Translation, User, Work
from ..errors import NotFound
from .users import is_placeholder


@dataclass
class PublicProfile:
    user: User
    is_placeholder: bool
    # (contribution, slug of its work or None)
    contributions: list[tuple[Contribution, str | None]] = field(default_factory=list)
    contribution_count: int = 0
    translations: list[Translation] = field(default_factory=list)
    translation_count: int = 0
    collections: list[Collection] = field(default_factory=list)


def public_profile(session: Session, username: str, limit: int = 20) -> PublicProfile:
    """What anyone may see of a user: name, biography, and their public activity
    (approved contributions, published translations credited to them, public
    collections). :class:`NotFound` for unknown and disabled accounts."""
    user = session.scalar(select(User).where(User.username == (username or "").lower()))
    if user is None or ((user.disabled_at is not None or user.deleted_at is not None) and not is_placeholder(user)):
        raise NotFound("There is no reader with this name.")
    approved = select(Contribution).where(Contribution.contributor_id == user.id, Contribution.status == "approved")
    published = select(Translation).where(Translation.translator_id == user.id, Translation.status == "published")
    recent_contributions = (approved.add_columns(Work.slug).outerjoin(Work, Work.id == Contribution.work_id)
                            .order_by(Contribution.decided_at.desc(), Contribution.id.desc()).limit(limit))
    return PublicProfile(
        user=user, is_placeholder=is_placeholder(user),
        contributions=[(c, slug) for c, slug in session.execute(recent_contributions)],
        contribution_count=session.scalar(select(func.count()).select_from(approved.subquery())) or 0,
        translations=list(session.scalars(published.options(selectinload(Translation.work))
                                          .order_by(Translation.published_at.desc(), Translation.id.desc())
                                          .limit(limit))),
        translation_count=session.scalar(select(func.count()).select_from(published.subquery())) or 0,
        collections=list(session.scalars(
            select(Collection).where(Collection.owner_id == user.id, Collection.is_public.is_(True))
            .order_by(Collection.updated_at.desc()).limit(limit))),
    )


def visible_user(session: Session, username: str) -> User | None:
    """A user others may see, by user name: None for unknown, deleted and disabled accounts."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.deleted_at is not None or user.disabled_at is not None:
        return None
    return user
