# Builds the probe targets PROBES (keeping going past failures) and checks
# that each failed to compile because its header (HEADERS, in the same
# order) was not found. Run by the layering.* tests (CMakeLists.txt here).
execute_process(
  COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${PROBES} -- -k 0
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output
  RESULT_VARIABLE result)
set(failures "")
foreach(probe header IN ZIP_LISTS PROBES HEADERS)
  string(REPLACE "." "\\." header_pattern "${header}")
  set(pattern "${probe}\\.cpp:[0-9]+:[0-9]+: fatal error: ${header_pattern}: No such file or directory")
  if(output MATCHES "${pattern}")
    message(STATUS "${probe}: refused as expected: ${CMAKE_MATCH_0}")
  else()
    string(APPEND failures "\n  ${probe}: no \"${header}: No such file or directory\" (the include was allowed?)")
  endif()
endforeach()
if(result EQUAL 0 OR failures)
  message(FATAL_ERROR "upward includes that did not fail:${failures}\n--- build output ---\n${output}")
endif()
