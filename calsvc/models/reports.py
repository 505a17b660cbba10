"""Issued ("abgeschlossene") quarterly reports: the files as sent, with a hash of their content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

__all__ = ["IssuedReport", "IssuedReportFile"]


class IssuedReport(Base):
    """A report frozen by "Bericht abschließen"; later views return its files byte for byte.

    ``sha256`` covers every file (name, then content, in format order), so one number says
    whether anything of what was sent has changed.
    """

    __tablename__ = "issued_report"
    __table_args__ = (UniqueConstraint("plan_year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[datetime] = mapped_column(DateTime)  # the report's "Stand" (naive Berlin midnight)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))

    files: Mapped[list[IssuedReportFile]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="IssuedReportFile.format"
    )


class IssuedReportFile(Base):
    """One file of an issued report (html, pdf, docx, csv) exactly as it was issued."""

    __tablename__ = "issued_report_file"
    __table_args__ = (UniqueConstraint("report_id", "format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("issued_report.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))

    report: Mapped[IssuedReport] = relationship(back_populates="files")
