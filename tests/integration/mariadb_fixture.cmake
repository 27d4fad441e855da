# The CTest fixture `mariadb`: one private MariaDB server for the whole test
# run (scripts/mariadb-private.sh), started before the first test that
# requires it and stopped after the last. Tests find its URL in the file
# ${INVITES_TEST_DB_URL_FILE}; support/test_database.hpp reads it and gives
# each test a fresh database of its own.
set(INVITES_MARIADB_DIR ${CMAKE_BINARY_DIR}/mariadb)
set(INVITES_TEST_DB_URL_FILE ${INVITES_MARIADB_DIR}/url)
# Global, so add_integration_test() works from any directory.
set_property(GLOBAL PROPERTY INVITES_TEST_DB_URL_FILE ${INVITES_TEST_DB_URL_FILE})
cmake_path(SET INVITES_MARIADB_SCRIPT NORMALIZE "${CMAKE_CURRENT_LIST_DIR}/../../scripts/mariadb-private.sh")

add_test(NAME mariadb.start COMMAND ${INVITES_MARIADB_SCRIPT} start ${INVITES_MARIADB_DIR})
set_tests_properties(mariadb.start PROPERTIES
  FIXTURES_SETUP mariadb
  LABELS integration
  RESOURCE_LOCK mariadb
  TIMEOUT 60)

add_test(NAME mariadb.stop COMMAND ${INVITES_MARIADB_SCRIPT} stop ${INVITES_MARIADB_DIR})
set_tests_properties(mariadb.stop PROPERTIES
  FIXTURES_CLEANUP mariadb
  LABELS integration
  RESOURCE_LOCK mariadb
  TIMEOUT 60)
