"""Data generators, apart from the data path: the sample landing zone that ``make run`` and the
tests start from (:mod:`.samples`), and the national set of 2022 that ``make bench`` measures
(:mod:`.national`). The stages never import them."""
