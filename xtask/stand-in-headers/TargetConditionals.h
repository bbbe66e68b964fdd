/* Stand-in for Apple's <TargetConditionals.h>, for `cargo xtask check-targets` only.
 *
 * Why: ring's C includes it when __APPLE__ is defined (include/ring-core/base.h) to tell
 * macOS from iOS. The header comes with Apple's SDK, which cannot be had on Linux; the
 * aarch64-apple-darwin check compiles ring's C with clang and no SDK. Its objects are never
 * linked, so these few macros, as the SDK sets them for macOS, are all it needs. Nothing
 * that ships is built with this file.
 */
#ifndef OKTADESK_STAND_IN_TARGET_CONDITIONALS_H
#define OKTADESK_STAND_IN_TARGET_CONDITIONALS_H

#define TARGET_OS_MAC 1
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
#define TARGET_OS_IOS 0
#define TARGET_OS_WATCH 0
#define TARGET_OS_TV 0
#define TARGET_OS_VISION 0
#define TARGET_OS_SIMULATOR 0
#define TARGET_OS_EMBEDDED 0

#endif
