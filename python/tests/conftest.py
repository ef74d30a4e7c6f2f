"""The client side of `bin/poa serve`: a Spark Connect session and the lakehouse folder it serves."""
import os

import pytest
from pyspark.sql import SparkSession


@pytest.fixture(scope="session")
def spark():
    session = SparkSession.builder.remote(os.environ["POA_CONNECT_URL"]).getOrCreate()
    yield session
    session.stop()


@pytest.fixture(scope="session")
def lakehouse():
    return os.environ["POA_LAKEHOUSE"]
