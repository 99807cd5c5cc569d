"""The annual report (政务公开年度报告) and the department report (述职述廉): figures of a year from the record."""
