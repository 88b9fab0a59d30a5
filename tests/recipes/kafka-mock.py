#!/usr/bin/env python3
"""A Kafka cluster on 127.0.0.1 for the recipe tests: librdkafka's mock cluster.

kafka-mock.py SECONDS BROKERS TOPIC:PARTITIONS...

Starts a mock cluster of BROKERS brokers in this process (librdkafka, the
library kcat uses, through ctypes), creates each TOPIC with that many
partitions (kcat alone can start the mock, `kcat -X test.mock.num.brokers=3`,
but its topics are then made on first use with 4 partitions), prints the
bootstrap servers on one line, and holds the cluster until SIGTERM or SIGINT,
or for SECONDS at most (so that a test killed on its way leaves nothing).
"""
import ctypes
import ctypes.util
import signal
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    name = ctypes.util.find_library("rdkafka") or "librdkafka.so.1"
    lib = ctypes.CDLL(name)
    lib.rd_kafka_conf_new.restype = ctypes.c_void_p
    lib.rd_kafka_new.restype = ctypes.c_void_p
    lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.rd_kafka_mock_cluster_new.restype = ctypes.c_void_p
    lib.rd_kafka_mock_cluster_new.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
    lib.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_mock_topic_create.restype = ctypes.c_int
    lib.rd_kafka_mock_topic_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    lib.rd_kafka_err2str.restype = ctypes.c_char_p
    lib.rd_kafka_err2str.argtypes = [ctypes.c_int]

    lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
    errstr = ctypes.create_string_buffer(512)
    conf = lib.rd_kafka_conf_new()
    lib.rd_kafka_conf_set(conf, b"log_level", b"3", errstr, len(errstr))  # not its own "no bootstrap.servers"
    rk = lib.rd_kafka_new(0, conf, errstr, len(errstr))  # 0: a producer handle
    if not rk:
        sys.exit("kafka-mock: rd_kafka_new: " + errstr.value.decode())
    lifetime, brokers = int(sys.argv[1]), int(sys.argv[2])
    mcluster = lib.rd_kafka_mock_cluster_new(rk, brokers)
    if not mcluster:
        sys.exit("kafka-mock: no mock cluster")
    for spec in sys.argv[3:]:
        topic, _, parts = spec.partition(":")
        err = lib.rd_kafka_mock_topic_create(mcluster, topic.encode(), int(parts or 1), min(3, brokers))
        if err:
            sys.exit("kafka-mock: topic %s: %s" % (topic, lib.rd_kafka_err2str(err).decode()))
    print(lib.rd_kafka_mock_cluster_bootstraps(mcluster).decode(), flush=True)

    def stop(*_):
        sys.exit(0)  # the process ends; the cluster's sockets close with it

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(lifetime)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
