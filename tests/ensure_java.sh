#!/bin/sh
# Apache Kafka (the tests' broker) needs a JDK 17+ and Maven: install Debian's when missing and we may.
# Without them the tests still run, on the Tansu broker (services/local/kafka.py: broker_choice).
set -eu
if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "No JDK/Maven and no root: the tests will run on the Tansu broker (apt-get install default-jdk-headless maven for Kafka)." >&2
    exit 0
fi
echo "Installing a JDK and Maven for Apache Kafka (apt-get)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jdk-headless maven >/dev/null
