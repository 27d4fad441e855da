# Writes a C++ source that defines invites::db::embedded_migrations() with the
# text of every backend/migrations/NNNN_name.sql as a raw string literal, so
# the binary carries its schema and needs no files at run time.
#   cmake -DMIGRATIONS_DIR=... -DOUTPUT=... -P embed_migrations.cmake
cmake_minimum_required(VERSION 3.25)

set(delimiter "invites_sql")
file(GLOB files "${MIGRATIONS_DIR}/*.sql")
list(SORT files)

if(NOT files)
  message(FATAL_ERROR "no migrations in ${MIGRATIONS_DIR}")
endif()

set(entries "")
set(previous_version 0)
foreach(file IN LISTS files)
  get_filename_component(file_name "${file}" NAME)
  if(NOT file_name MATCHES "^0*([0-9]+)_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "${file}: migration files must be named NNNN_lower_case_name.sql")
  endif()
  set(version "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  if(version EQUAL 0)
    message(FATAL_ERROR "${file}: versions start at 1")
  endif()
  if(version LESS_EQUAL previous_version)
    message(FATAL_ERROR "${file}: version ${version} is not above the previous file's ${previous_version} "
                        "(duplicate, or numbers of different widths)")
  endif()
  set(previous_version "${version}")

  file(READ "${file}" text)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw string delimiter )${delimiter}\"")
  endif()
  string(APPEND entries "    {${version}, \"${name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()

set(source "// Generated from backend/migrations/*.sql by backend/cmake/embed_migrations.cmake. Do not edit.
#include \"db/migrations.hpp\"

namespace invites::db {
namespace {

constexpr Migration migrations[] = {
${entries}};

}  // namespace

std::span<const Migration> embedded_migrations() { return migrations; }

}  // namespace invites::db
")
# Only touch the output when its text changes, so that editing a comment
# outside the SQL (or nothing) does not recompile and relink.
file(WRITE "${OUTPUT}.tmp" "${source}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
