"""What a project will measure: results chain, theory of change, assumptions, risks, budget
lines, indicators, disaggregations, reporting periods and targets."""
