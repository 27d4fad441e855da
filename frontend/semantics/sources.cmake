# The semantic tree (semantics/): plain C++ without ImGui or Emscripten, built
# into the browser app by frontend/CMakeLists.txt and natively into the unit
# tests by tests/frontend/.
set(INVITES_SEMANTICS_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/change_list.cpp
  ${CMAKE_CURRENT_LIST_DIR}/node.cpp
  ${CMAKE_CURRENT_LIST_DIR}/page_requests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/text_offsets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tree.cpp
)
