# Assembles the deployable web bundle (run by the web_bundle target with cmake -P).
#
# Inputs: APP_JS, APP_WASM, FONT (the subset UI font), WEB_SRC (folder with
#         index.html, boot.js, sw.js, a11y_layer.js, manifest.webmanifest,
#         icon.svg), ICON_DIR (the drawn PNG icons), OUT_DIR, VERSION (display
#         version, e.g. 0.1.0+g1234abcd).
#
# Every file also gets its brotli (FILE.br, quality 11) and gzip (FILE.gz,
# level 9) form, made once here instead of per request: the server sends
# them to browsers that accept them (backend/http/static_files.cpp).
#
# BUILD_ID is a content hash of everything the service worker caches, so a new
# build gets a new cache name and new versioned asset URLs (?v=BUILD_ID) while
# an unchanged rebuild keeps both.
foreach(var APP_JS APP_WASM FONT WEB_SRC ICON_DIR OUT_DIR VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "assemble_web.cmake: ${var} is not set")
  endif()
endforeach()

set(_inputs ${APP_JS} ${APP_WASM} ${FONT} ${WEB_SRC}/index.html ${WEB_SRC}/boot.js ${WEB_SRC}/sw.js
            ${WEB_SRC}/a11y_layer.js)
set(_digests "")
foreach(f IN LISTS _inputs)
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "assemble_web.cmake: missing input ${f}")
  endif()
  file(SHA256 ${f} _h)
  string(APPEND _digests "${_h}\n")
endforeach()
string(SHA256 _all "${_digests}")
string(SUBSTRING ${_all} 0 16 BUILD_ID)

# Cache names and URLs only get [A-Za-z0-9._-].
string(REGEX REPLACE "[^A-Za-z0-9._-]" "-" _safe_version "${VERSION}")
set(CACHE_NAME "invites-shell-${_safe_version}-${BUILD_ID}")
set(BUILD_VERSION "${VERSION}")

file(MAKE_DIRECTORY ${OUT_DIR})
file(COPY_FILE ${APP_JS} ${OUT_DIR}/invites_app.js ONLY_IF_DIFFERENT)
file(COPY_FILE ${APP_WASM} ${OUT_DIR}/invites_app.wasm ONLY_IF_DIFFERENT)
# Fixed bundle name: the app and sw.js fetch "ui-font.ttf" whichever TTF is configured.
file(COPY_FILE ${FONT} ${OUT_DIR}/ui-font.ttf ONLY_IF_DIFFERENT)
file(COPY_FILE ${WEB_SRC}/a11y_layer.js ${OUT_DIR}/a11y_layer.js ONLY_IF_DIFFERENT)
foreach(name manifest.webmanifest icon.svg)
  file(COPY_FILE ${WEB_SRC}/${name} ${OUT_DIR}/${name} ONLY_IF_DIFFERENT)
endforeach()
foreach(name icon-192.png icon-512.png)
  file(COPY_FILE ${ICON_DIR}/${name} ${OUT_DIR}/${name} ONLY_IF_DIFFERENT)
endforeach()
# index.html before sw.js: a browser that sees the new worker finds a complete bundle.
configure_file(${WEB_SRC}/boot.js ${OUT_DIR}/boot.js @ONLY)
configure_file(${WEB_SRC}/index.html ${OUT_DIR}/index.html @ONLY)
configure_file(${WEB_SRC}/sw.js ${OUT_DIR}/sw.js @ONLY)
message(STATUS "web bundle ${OUT_DIR}: build ${BUILD_ID} (${VERSION})")

find_program(BROTLI brotli)
find_program(GZIP gzip)
if(NOT BROTLI OR NOT GZIP)
  message(FATAL_ERROR "assemble_web.cmake: brotli and gzip are needed (scripts/setup.sh installs them)")
endif()
foreach(name index.html boot.js sw.js a11y_layer.js invites_app.js invites_app.wasm ui-font.ttf manifest.webmanifest icon.svg)
  set(f ${OUT_DIR}/${name})
  # Redone only for a changed file. Written through stdout, so each form is
  # newer than its file (the server ignores older ones as stale); -n keeps
  # the name and time out of the .gz.
  if(NOT EXISTS ${f}.br OR ${f} IS_NEWER_THAN ${f}.br)
    execute_process(COMMAND ${BROTLI} --quality=11 --stdout ${f} OUTPUT_FILE ${f}.br COMMAND_ERROR_IS_FATAL ANY)
  endif()
  if(NOT EXISTS ${f}.gz OR ${f} IS_NEWER_THAN ${f}.gz)
    execute_process(COMMAND ${GZIP} -9 -n -c ${f} OUTPUT_FILE ${f}.gz COMMAND_ERROR_IS_FATAL ANY)
  endif()
endforeach()
