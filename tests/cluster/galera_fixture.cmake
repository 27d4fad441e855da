# The CTest fixture `galera`: one private 3-node MariaDB Galera Cluster for
# the whole test run (scripts/galera-private.sh), started before the first
# cluster test and stopped after the last. Tests find the three node URLs in
# the file ${INVITES_TEST_GALERA_DIR}/url (support/galera_cluster.hpp).
# add_private_server_fixture() comes from tests/integration/mariadb_fixture.cmake.
set(INVITES_GALERA_DIR ${CMAKE_BINARY_DIR}/galera)
# Global, so tests outside this folder (the browser flow) find it too.
set_property(GLOBAL PROPERTY INVITES_GALERA_DIR ${INVITES_GALERA_DIR})
cmake_path(SET INVITES_GALERA_SCRIPT NORMALIZE "${CMAKE_CURRENT_LIST_DIR}/../../scripts/galera-private.sh")
add_private_server_fixture(galera ${INVITES_GALERA_SCRIPT} ${INVITES_GALERA_DIR} cluster 400 120)
