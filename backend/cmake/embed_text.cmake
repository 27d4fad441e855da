# Writes a C++ source that defines `std::string_view NAMESPACE::NAME()` with
# the text of INPUT as a raw string literal, so the binary carries the file.
#   cmake -DINPUT=... -DOUTPUT=... -DNAMESPACE=invites::security -DNAME=common_passwords_text -P embed_text.cmake
cmake_minimum_required(VERSION 3.25)

set(delimiter "invites_text")
file(READ "${INPUT}" text)
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )${delimiter}\"")
endif()
get_filename_component(input_name "${INPUT}" NAME)
set(source "// Generated from ${input_name} by backend/cmake/embed_text.cmake. Do not edit.
#include <string_view>

namespace ${NAMESPACE} {

std::string_view ${NAME}() { return R\"${delimiter}(${text})${delimiter}\"; }

}  // namespace ${NAMESPACE}
")
file(WRITE "${OUTPUT}.tmp" "${source}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
