#!/usr/bin/env bash
# Builds the Android app's signed APK without Gradle, from Maven's prepare-package phase (android/pom.xml):
#   aapt2 (resources, manifest, R.java) → javac against android-all (API 34) → D8 (dex, from Maven Central)
#   → zip → zipalign → apksigner (operator's release key, or the throwaway debug key) → apksigner verify.
# Arguments are name=value pairs from the pom. The result: target/apk/powerwatch.apk and app.json (its description),
# both copied to target/served/powerwatch-app/ for the module's jar, which the platform serves at /app/.
# Inputs unchanged since the last build → nothing is rebuilt (a reactor build of the platform stays fast).
set -euo pipefail
cd "$(dirname "$0")"

target=target app_id= version_name= version_code= min_sdk= target_sdk= keystore= key_alias=
for arg in "$@"; do
  case "$arg" in
    target=*|app_id=*|version_name=*|version_code=*|min_sdk=*|target_sdk=*|keystore=*|key_alias=*) declare "${arg%%=*}=${arg#*=}" ;;
    *) echo "build-apk.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
keystore=${keystore:-${POWERWATCH_ANDROID_KEYSTORE:-}}
key_alias=${key_alias:-${POWERWATCH_ANDROID_KEY_ALIAS:-}}

framework=${ANDROID_FRAMEWORK_RES:-/usr/share/android-framework-res/framework-res.apk}
missing=()
for tool in aapt2 aapt zipalign apksigner keytool zip javac java sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -f "$framework" ] || missing+=("$framework")
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-apk.sh: missing ${missing[*]} — on Debian: apt-get install aapt zipalign apksigner android-framework-res zip" >&2
  exit 1
fi

tools=$target/tools
android_all=$tools/android-all.jar
core=$target/classes
out=$target/apk
work=$target/apk-work
served=$target/served/powerwatch-app
mkdir -p "$out" "$served"

# --- up to date? ------------------------------------------------------------------------------------------------
stamp=$( {
  echo "$app_id $version_name $version_code $min_sdk $target_sdk $keystore $key_alias"
  [ -n "$keystore" ] && [ -f "$keystore" ] && sha256sum "$keystore"
  sha256sum build-apk.sh "$android_all" "$tools/r8.jar" "$tools/zxing-core.jar"
  find src/app src/main/java -type f | LC_ALL=C sort | xargs sha256sum
} | sha256sum | cut -d' ' -f1 )
if [ -f "$out/powerwatch.apk" ] && [ -f "$out/app.json" ] && [ "$(cat "$out/inputs.sha256" 2>/dev/null)" = "$stamp" ]; then
  cp "$out/powerwatch.apk" "$out/app.json" "$served/"
  echo "APK up to date: $out/powerwatch.apk ($(stat -c %s "$out/powerwatch.apk") bytes)"
  exit 0
fi

rm -rf "$work"
mkdir -p "$work/gen" "$work/classes" "$work/dex"

# --- 1. resources and manifest (aapt2, against Debian's framework-res.apk) ----------------------------------------
aapt2 compile --dir src/app/res -o "$work/res.zip"
aapt2 link -o "$work/unsigned.apk" -I "$framework" --manifest src/app/AndroidManifest.xml \
  --custom-package com.powerwatch.mobile \
  --min-sdk-version "$min_sdk" --target-sdk-version "$target_sdk" \
  --version-code "$version_code" --version-name "$version_name" \
  --java "$work/gen" "$work/res.zip"

# --- 2. compile the shell against the Android API (Java 8 language level; android-all is API 34) --------------------
find src/app/java "$work/gen" -name '*.java' > "$work/sources.txt"
javac -nowarn --release 8 -encoding UTF-8 \
  -cp "$android_all:$core:$tools/zxing-core.jar" -d "$work/classes" @"$work/sources.txt"
jar cfM "$work/app.jar" -C "$work/classes" .
jar cfM "$work/core.jar" -C "$core" .

# --- 3. dex (D8 from Maven Central; ZXing is dexed once and kept, it never changes) ---------------------------------
# android-all has the android.* API; java.* comes from the JDK (D8 reads a JDK home as a library)
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
d8() { java -cp "$tools/r8.jar" com.android.tools.r8.D8 --release --min-api "$min_sdk" --lib "$android_all" --lib "$java_home" "$@"; }
zxing_dex=$target/dex-cache/zxing-$(sha256sum "$tools/zxing-core.jar" | cut -c1-16)-$min_sdk
if [ ! -f "$zxing_dex/classes.dex" ]; then
  rm -rf "$zxing_dex" && mkdir -p "$zxing_dex"
  d8 --intermediate --output "$zxing_dex" "$tools/zxing-core.jar"
fi
d8 --output "$work/dex" "$work/app.jar" "$work/core.jar" "$zxing_dex/classes.dex"

# --- 4. package and align ----------------------------------------------------------------------------------------
(cd "$work/dex" && zip -q -X "../unsigned.apk" classes*.dex)
zipalign -f -p 4 "$work/unsigned.apk" "$work/aligned.apk"

# --- 5. sign: the operator's key, or the throwaway debug key ------------------------------------------------------
if [ -n "$keystore" ]; then
  [ -f "$keystore" ] || { echo "build-apk.sh: keystore $keystore does not exist" >&2; exit 1; }
  [ -n "${POWERWATCH_ANDROID_KEYSTORE_PASS:-}" ] || { echo "build-apk.sh: set POWERWATCH_ANDROID_KEYSTORE_PASS for $keystore" >&2; exit 1; }
  signer=release
  sign_args=(--ks "$keystore" --ks-pass env:POWERWATCH_ANDROID_KEYSTORE_PASS)
  [ -n "$key_alias" ] && sign_args+=(--ks-key-alias "$key_alias")
  [ -n "${POWERWATCH_ANDROID_KEY_PASS:-}" ] && sign_args+=(--key-pass env:POWERWATCH_ANDROID_KEY_PASS)
else
  signer=debug
  debug_ks=$HOME/.android/debug.keystore
  if [ ! -f "$debug_ks" ]; then
    mkdir -p "$(dirname "$debug_ks")"
    keytool -genkeypair -keystore "$debug_ks" -storepass android -alias androiddebugkey -keypass android \
      -keyalg RSA -keysize 2048 -validity 10000 -dname "CN=Android Debug,O=Android,C=US" >/dev/null 2>&1
  fi
  sign_args=(--ks "$debug_ks" --ks-pass pass:android --ks-key-alias androiddebugkey --key-pass pass:android)
  echo "WARNING: the APK is signed with the throwaway DEBUG key $debug_ks — for testing only. For phones in the"
  echo "WARNING: field, configure the bureau's release key (-Dandroid.keystore=…, docs/mobile.md)."
fi
apksigner sign "${sign_args[@]}" --min-sdk-version "$min_sdk" --out "$work/signed.apk" "$work/aligned.apk"
apksigner verify --min-sdk-version "$min_sdk" "$work/signed.apk"

# --- 6. describe it (the platform's download page shows this) ------------------------------------------------------
cert=$(apksigner verify --print-certs "$work/signed.apk" | sed -n 's/^Signer #1 certificate SHA-256 digest: //p')
size=$(stat -c %s "$work/signed.apk")
sha=$(sha256sum "$work/signed.apk" | cut -d' ' -f1)
cat > "$work/app.json" <<EOF
{"applicationId":"$app_id","versionName":"$version_name","versionCode":$version_code,"minSdk":$min_sdk,"targetSdk":$target_sdk,
 "sizeBytes":$size,"sha256":"$sha","signer":"$signer","certificateSha256":"$cert"}
EOF
mv "$work/signed.apk" "$out/powerwatch.apk"
mv "$work/app.json" "$out/app.json"
echo "$stamp" > "$out/inputs.sha256"
cp "$out/powerwatch.apk" "$out/app.json" "$served/"
echo "APK: $out/powerwatch.apk — $size bytes, $signer-signed, certificate SHA-256 $cert"
