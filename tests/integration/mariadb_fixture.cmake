# add_private_server_fixture(NAME SCRIPT DIR LABEL START_TIMEOUT STOP_TIMEOUT):
# the CTest fixture NAME, whose tests NAME.start and NAME.stop run
# `SCRIPT start DIR` before the first test that requires it and
# `SCRIPT stop DIR` after the last, one at a time (resource lock NAME).
# Also used by tests/cluster/galera_fixture.cmake.
function(add_private_server_fixture name script dir label start_timeout stop_timeout)
  foreach(step IN ITEMS start stop)
    add_test(NAME ${name}.${step} COMMAND ${script} ${step} ${dir})
  endforeach()
  set_tests_properties(${name}.start ${name}.stop PROPERTIES LABELS ${label} RESOURCE_LOCK ${name})
  set_tests_properties(${name}.start PROPERTIES FIXTURES_SETUP ${name} TIMEOUT ${start_timeout})
  set_tests_properties(${name}.stop PROPERTIES FIXTURES_CLEANUP ${name} TIMEOUT ${stop_timeout})
endfunction()

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
add_private_server_fixture(mariadb ${INVITES_MARIADB_SCRIPT} ${INVITES_MARIADB_DIR} integration 60 60)
