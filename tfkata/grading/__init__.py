"""Instructor grading: `kata grade` runs every kata's tests against many students' folders,
each in supervised, resource-limited child processes on private copies, and writes reports
(JSON, CSV, JUnit XML, Gradescope). See tfkata.grading.run.grade for the entry point."""

from tfkata.grading.grader import STATUSES, KataResult, StudentResult, TestOutcome
from tfkata.grading.run import GradeRun, grade
from tfkata.grading.sandbox import Limits

__all__ = ["STATUSES", "GradeRun", "KataResult", "Limits", "StudentResult", "TestOutcome", "grade"]
