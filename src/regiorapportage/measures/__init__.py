"""The rules of SPEC.md as Ibis expressions. Nothing here touches pandas: every function
takes and returns Ibis tables, so the same code runs on DuckDB and on Spark."""
