"""Stage 4, query: compiled tables → figures (:mod:`rmxl.query.figures`, the one
implementation of every figure), periods, names, buckets and the RM_ function layer."""
