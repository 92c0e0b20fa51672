"""How the nightly DAG splits a day's files into extract tasks: by bytes, not one per file."""

from __future__ import annotations

import random

import pytest

from etl.flow import batch_label, batches_of

pytestmark = pytest.mark.unit

MIB = 2**20


def test_a_national_day_of_552_small_files_makes_as_few_tasks_as_slots():
    """552 registers of ~10 KiB (the 1 % national set): four tasks, not 552."""
    sizes = {f"2023-03-20/{3101 + i}/unit_ikm_2023.csv": 10_000 + i for i in range(552)}
    batches = batches_of(sizes, 256 * MIB, fewest=4)
    assert len(batches) == 4
    assert sorted(p for b in batches for p in b) == sorted(sizes)  # each file exactly once
    weights = [sum(sizes[p] for p in b) for b in batches]
    assert max(weights) - min(weights) <= max(sizes.values())  # balanced by bytes


def test_the_number_of_tasks_grows_with_the_bytes():
    sizes = {f"d/{i}/f.csv": 40 * MIB for i in range(100)}  # 4000 MiB
    assert len(batches_of(sizes, 256 * MIB, fewest=4)) == 16
    assert len(batches_of(sizes, 1024 * MIB, fewest=4)) == 4


def test_a_small_night_is_one_task_per_file_up_to_the_slots():
    sizes = {f"d/{i}/f.csv": 1000 for i in range(3)}
    assert batches_of(sizes, 256 * MIB, fewest=4) == [[p] for p in sorted(sizes)]
    assert batches_of({}, 256 * MIB, fewest=4) == []


def test_one_file_larger_than_a_batch_is_a_batch_of_its_own():
    sizes = {"d/1/besar.csv": 900 * MIB, **{f"d/{i}/kecil.csv": MIB for i in range(2, 12)}}
    batches = batches_of(sizes, 256 * MIB, fewest=2)
    assert ["d/1/besar.csv"] in batches


def test_the_same_files_always_batch_the_same_way():
    sizes = {f"d/{i}/f.csv": random.Random(i).randint(1, 10**7) for i in range(300)}
    shuffled = dict(random.Random(7).sample(sorted(sizes.items()), len(sizes)))
    assert batches_of(sizes, 64 * MIB, fewest=4) == batches_of(shuffled, 64 * MIB, fewest=4)


def test_the_grid_label_names_the_files_and_those_that_failed():
    paths = ["d/3201/a.csv", "d/3202/b.csv", "d/3203/c.csv"]
    assert batch_label(paths) == "d/3201/a.csv … d/3203/c.csv (3 berkas)"
    assert batch_label(paths[:1]) == "d/3201/a.csv"
    assert batch_label(paths, ["d/3202/b.csv"]) == "GAGAL d/3202/b.csv (1/3 berkas)"
    assert batch_label(paths, ["d/3203/c.csv", "d/3202/b.csv"]).startswith("GAGAL d/3202/b.csv +1")
