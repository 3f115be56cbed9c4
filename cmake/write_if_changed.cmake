# write_if_changed(FILE TEXT): writes TEXT to FILE unless it holds exactly that already, for
# build-time generators: rewriting an unchanged file would rebuild everything that depends on it.
function(write_if_changed file text)
  if(EXISTS "${file}")
    file(READ "${file}" previous)
    if(previous STREQUAL text)
      return()
    endif()
  endif()
  file(WRITE "${file}" "${text}")
endfunction()
