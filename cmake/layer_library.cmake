# add_layer_library(PREFIX LAYER [LAYERS ...] [LIBRARIES ...] [SOURCES ...])
# One layer of backend/ or frontend/ as the static library PREFIX<LAYER>, made
# of LAYER/*.cpp (a new .cpp joins its folder's layer) and SOURCES, linking
# the layers below it (LAYERS, named without PREFIX) and LIBRARIES.
# Its include path is one folder (include-view/LAYER) holding a single link,
# LAYER -> <this folder>/LAYER, so headers keep their "LAYER/..." paths while
# an include of a layer it does not link fails to compile.
function(add_layer_library prefix layer)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "LAYERS;LIBRARIES;SOURCES")
  set(view ${CMAKE_CURRENT_BINARY_DIR}/include-view/${layer})
  file(MAKE_DIRECTORY ${view})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${layer} ${view}/${layer} SYMBOLIC)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${layer}/*.cpp)
  add_library(${prefix}${layer} STATIC ${sources} ${arg_SOURCES})
  target_include_directories(${prefix}${layer} PUBLIC ${view})
  list(TRANSFORM arg_LAYERS PREPEND ${prefix} OUTPUT_VARIABLE layer_targets)
  target_link_libraries(${prefix}${layer} PUBLIC ${layer_targets} ${arg_LIBRARIES})
endfunction()
