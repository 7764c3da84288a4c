"""Pure logic: identifiers, grades, checklists, grading records, pricing. No Qt, no I/O, no clock."""
