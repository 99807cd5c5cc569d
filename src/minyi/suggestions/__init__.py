"""建议提案办理: deputies ' suggestions and CPPCC proposals, each with its own procedure and calendar-month clock."""
