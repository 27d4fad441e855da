# The CTest fixture `galera`: one private 3-node MariaDB Galera Cluster for
# the whole test run (scripts/galera-private.sh), started before the first
# cluster test and stopped after the last. Tests find the three node URLs in
# the file ${INVITES_TEST_GALERA_DIR}/url (support/galera_cluster.hpp).
set(INVITES_GALERA_DIR ${CMAKE_BINARY_DIR}/galera)
# Global, so tests outside this folder (the browser flow) find it too.
set_property(GLOBAL PROPERTY INVITES_GALERA_DIR ${INVITES_GALERA_DIR})
cmake_path(SET INVITES_GALERA_SCRIPT NORMALIZE "${CMAKE_CURRENT_LIST_DIR}/../../scripts/galera-private.sh")

add_test(NAME galera.start COMMAND ${INVITES_GALERA_SCRIPT} start ${INVITES_GALERA_DIR})
set_tests_properties(galera.start PROPERTIES
  FIXTURES_SETUP galera
  LABELS cluster
  RESOURCE_LOCK galera
  TIMEOUT 400)

add_test(NAME galera.stop COMMAND ${INVITES_GALERA_SCRIPT} stop ${INVITES_GALERA_DIR})
set_tests_properties(galera.stop PROPERTIES
  FIXTURES_CLEANUP galera
  LABELS cluster
  RESOURCE_LOCK galera
  TIMEOUT 120)
