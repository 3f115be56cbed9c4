# Run at build time: cmake -DOUTPUT=<file.cpp> -DINPUTS=<a.sql;b.sql;...> -P embed_migrations.cmake
# Writes a C++ table of the migrations (version, name, SQL text), ordered by version. File names
# must be NNNN_name.sql with versions 1, 2, 3, ... and no gaps.

list(SORT INPUTS)
set(entries "")
set(expected 1)
foreach(input IN LISTS INPUTS)
  get_filename_component(file_name "${input}" NAME)
  if(NOT file_name MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "migration ${file_name}: name must be NNNN_name.sql")
  endif()
  set(name "${CMAKE_MATCH_2}")
  string(REGEX REPLACE "^0+" "" version "${CMAKE_MATCH_1}")
  if(NOT version EQUAL expected)
    message(FATAL_ERROR "migration ${file_name}: expected version ${expected}")
  endif()
  math(EXPR expected "${expected} + 1")
  file(READ "${input}" sql)
  string(FIND "${sql}" ")uitweg_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "migration ${file_name} contains the raw-string delimiter")
  endif()
  string(APPEND entries "    {${version}, \"${name}\", R\"uitweg_sql(${sql})uitweg_sql\"},\n")
endforeach()

set(content "// Generated from src/store/migrations/*.sql by src/store/embed_migrations.cmake.
#include \"store/sqlite/migrations.hpp\"

namespace uitweg::store::sqlite {
namespace {

constexpr Migration kMigrations[] = {
${entries}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace uitweg::store::sqlite
")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
