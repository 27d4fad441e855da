# Writes a C++ source whose function returns a text file's contents, so the
# binary carries the file and needs nothing at run time.
#   cmake -DINPUT=file -DOUTPUT=x.cpp -DHEADER=dir/x.hpp -DFUNCTION=ns::name -P embed_text.cmake
cmake_minimum_required(VERSION 3.25)

set(delimiter "invites_text")
file(READ "${INPUT}" text)
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )${delimiter}\"")
endif()
get_filename_component(input_name "${INPUT}" NAME)
set(source "// Generated from ${input_name} by backend/cmake/embed_text.cmake. Do not edit.
#include \"${HEADER}\"

std::string_view ${FUNCTION}() { return R\"${delimiter}(${text})${delimiter}\"; }
")
# Only touch the output when its text changes (no needless rebuilds).
file(WRITE "${OUTPUT}.tmp" "${source}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
