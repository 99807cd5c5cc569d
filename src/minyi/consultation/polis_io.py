"""Read and write Polis open-data exports (comments.csv, votes.csv, participants-votes.csv)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from minyi.consultation import projection
from minyi.consultation.votes import VALID_VOTES, VoteMatrix, build_vote_matrix
from minyi.errors import InvalidInput

COMMENTS_HEADER = ("timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
                   "comment-body")  # fmt: skip
VOTES_HEADER = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANTS_FIXED = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
HIDDEN = -1  # Polis moderation: -1 hidden, 0 not yet moderated, 1 accepted


class PolisFormatError(InvalidInput):
    """An export that cannot be read; `field` names the file and line."""

    code = "invalid_export"


@dataclass(frozen=True)
class PolisComment:
    """A statement as Polis exports it."""

    id: str
    author_id: str
    body: str
    moderated: int = 1
    timestamp_ms: int = 0

    @property
    def created(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp_ms / 1000, UTC)


@dataclass(frozen=True)
class PolisVote:
    """One vote, in time order; a later vote by the same participant on the same statement replaces it."""

    statement_id: str
    participant_id: str
    vote: int
    timestamp_ms: int = 0


@dataclass(frozen=True)
class PolisExport:
    """A whole conversation: statements, every vote, and the participants with Polis's group (if any)."""

    comments: tuple[PolisComment, ...]
    votes: tuple[PolisVote, ...]
    participants: tuple[str, ...]
    groups: Mapping[str, str] = field(default_factory=dict)  # participant → Polis group-id ("" = none)

    def vote_matrix(self) -> VoteMatrix:
        """The last vote of each participant on each statement; hidden statements marked excluded."""
        return build_vote_matrix(
            ((v.participant_id, v.statement_id, v.vote) for v in self.votes),
            participants=self.participants,
            statements=[c.id for c in self.comments],
            excluded=[c.id for c in self.comments if c.moderated == HIDDEN],
        )


def ever_counted(export: PolisExport) -> set[str]:
    """Participants Polis's rule counted at some time, replaying the export's votes in time order (as the slice
    does from its stored votes): 7 votes, or all the statements there were then."""
    return projection.ever_counted(
        export.participants, [c.id for c in export.comments],
        ((v.participant_id, v.statement_id, float(v.timestamp_ms)) for v in export.votes),
        (float(c.timestamp_ms) for c in export.comments),
    )  # fmt: skip


def _rows(path: Path, required: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise PolisFormatError(
            f"无法读取 {path.name}",
            f"cannot read {path.name}: {exc.strerror}",
            field=path.name,
            code="missing_file",
        ) from exc
    with handle:
        reader = csv.DictReader(handle)
        absent = [c for c in required if c not in (reader.fieldnames or ())]
        if absent:
            raise PolisFormatError(
                f"{path.name} 缺少列：{'、'.join(absent)}",
                f"{path.name} lacks column(s): {', '.join(absent)}",
                field=path.name,
                code="missing_column",
            )
        yield from enumerate(reader, start=2)


def _int(value: str, where: str, *, default: int | None = None) -> int:
    if value == "" and default is not None:
        return default
    try:
        return int(float(value))
    except ValueError:
        raise PolisFormatError(
            f"{where}：应为整数，收到 {value!r}",
            f"{where}: not an integer: {value!r}",
            field=where,
            code="not_a_number",
        ) from None


def read_polis_export(directory: Path) -> PolisExport:
    """Read an export directory; votes come from votes.csv, or from participants-votes.csv when it is absent."""
    comments = []
    for line, row in _rows(directory / "comments.csv", ("comment-id", "comment-body")):
        where = f"comments.csv:{line}"
        comments.append(PolisComment(
            id=row["comment-id"], author_id=row.get("author-id") or "", body=row["comment-body"],
            moderated=_int(row.get("moderated") or "", where, default=1),
            timestamp_ms=_int(row.get("timestamp") or "", where, default=0),
        ))  # fmt: skip
    comments.sort(key=lambda c: (len(c.id), c.id) if c.id.isdigit() else (1 << 30, c.id))
    participants: list[str] = []
    groups: dict[str, str] = {}
    last_votes: list[PolisVote] = []
    pv_path = directory / "participants-votes.csv"
    if pv_path.exists():
        for line, row in _rows(pv_path, ("participant",)):
            pid = row["participant"]
            participants.append(pid)
            groups[pid] = row.get("group-id") or ""
            for c in comments:
                cell = row.get(c.id) or ""
                if cell != "":
                    last_votes.append(PolisVote(c.id, pid, _vote(cell, f"participants-votes.csv:{line}")))
    votes_path = directory / "votes.csv"
    if votes_path.exists():
        votes = [
            PolisVote(
                row["comment-id"],
                row["voter-id"],
                _vote(row["vote"], f"votes.csv:{line}"),
                _int(row.get("timestamp") or "", f"votes.csv:{line}", default=0),
            )  # fmt: skip
            for line, row in _rows(votes_path, ("comment-id", "voter-id", "vote"))
        ]
        votes.sort(key=lambda v: v.timestamp_ms)  # stable: equal times keep the file's order
    elif last_votes:
        votes = last_votes
    else:
        raise PolisFormatError(
            "没有 votes.csv 或 participants-votes.csv",
            "no votes.csv or participants-votes.csv",
            field="votes.csv",
            code="no_votes",
        )
    known = set(participants)
    participants += [p for p in dict.fromkeys(v.participant_id for v in votes) if p not in known]
    return PolisExport(tuple(comments), tuple(votes), tuple(participants), groups)


def _vote(value: str, where: str) -> int:
    vote = _int(value, where)
    if vote not in VALID_VOTES:
        raise PolisFormatError(
            f"{where}：票只能是 1、-1 或 0",
            f"{where}: a vote is 1, -1 or 0",
            field=where,
            code="invalid_vote",
        )
    return vote


def _polis_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def write_polis_export(
    export: PolisExport, directory: Path, *, groups: Mapping[str, int | None] | None = None
) -> None:
    """Write the three files; `groups` (participant → group or None) fills group-id, else Polis's own."""
    directory.mkdir(parents=True, exist_ok=True)
    matrix = export.vote_matrix()
    last = {
        (matrix.participants[i], matrix.statements[j]): int(v)
        for i, j, v in zip(matrix.rows, matrix.cols, matrix.values, strict=True)
    }
    _write_comments(export, last, directory / "comments.csv")
    with (directory / "votes.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(VOTES_HEADER)
        for pv in export.votes:
            w.writerow(
                [pv.timestamp_ms, _polis_time(pv.timestamp_ms), pv.statement_id, pv.participant_id, pv.vote]
            )
    if groups is not None:
        group_ids = {p: "" if g is None else str(g) for p, g in groups.items()}
    else:
        group_ids = dict(export.groups)
    _write_participants(export, last, group_ids, directory / "participants-votes.csv")


def _write_comments(export: PolisExport, last: Mapping[tuple[str, str], int], path: Path) -> None:
    tally: dict[str, list[int]] = {c.id: [0, 0] for c in export.comments}
    for (_, sid), vote in last.items():
        if vote != 0:
            tally[sid][0 if vote > 0 else 1] += 1
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COMMENTS_HEADER)
        for c in export.comments:
            w.writerow([c.timestamp_ms, _polis_time(c.timestamp_ms), c.id, c.author_id, *tally[c.id],
                        c.moderated, c.body])  # fmt: skip


def _write_participants(
    export: PolisExport, last: Mapping[tuple[str, str], int], group_ids: Mapping[str, str], path: Path
) -> None:
    authored: dict[str, int] = {}
    for c in export.comments:
        authored[c.author_id] = authored.get(c.author_id, 0) + 1
    ids = [c.id for c in export.comments]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([*PARTICIPANTS_FIXED, *ids])
        for pid in export.participants:
            row = [last.get((pid, sid)) for sid in ids]
            cast = [v for v in row if v is not None]
            w.writerow([pid, group_ids.get(pid, ""), authored.get(pid, 0), len(cast), cast.count(1),
                        cast.count(-1), *("" if v is None else v for v in row)])  # fmt: skip
