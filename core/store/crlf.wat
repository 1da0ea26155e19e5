;; CRLF -> LF with WebAssembly SIMD, for core/store/crlf-simd.ts (which holds the compiled bytes;
;; test/core/store/crlf-simd.test.ts compiles this file with wabt and checks they are the same).
;; Sixteen bytes are copied at a time; a block with a CR is cut at its first CR.
(module
  (memory (export "memory") 1)
  ;; Copies [src, src+n) to dst, dropping every CR that is directly followed by LF (the LF stays).
  ;; src and dst must not overlap, and dst needs 16 bytes of room past the output. `nextIsLf`: the
  ;; byte after the input is an LF (decides a CR at the very end). Returns the bytes written.
  (func (export "crlf") (param $src i32) (param $n i32) (param $dst i32) (param $nextIsLf i32) (result i32)
    (local $i i32) (local $j i32) (local $end i32) (local $vend i32) (local $mask i32) (local $k i32) (local $c i32)
    (local.set $i (local.get $src))
    (local.set $j (local.get $dst))
    (local.set $end (i32.add (local.get $src) (local.get $n)))
    ;; vector part: 16 bytes are read at i and one more byte after a CR, so i + 17 <= end
    (local.set $vend (i32.sub (local.get $end) (i32.const 17)))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.lt_s (local.get $vend) (local.get $i)))
        (v128.store (local.get $j) (v128.load (local.get $i)))
        (local.set $mask (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (i8x16.splat (i32.const 13)))))
        (if (i32.eqz (local.get $mask))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $v)))
        ;; the first CR is at i + k: the k bytes before it are written already
        (local.set $k (i32.ctz (local.get $mask)))
        (local.set $j (i32.add (local.get $j) (local.get $k)))
        (local.set $i (i32.add (local.get $i) (local.get $k)))
        (if (i32.ne (i32.load8_u offset=1 (local.get $i)) (i32.const 10))
          (then
            ;; a lone CR stays
            (i32.store8 (local.get $j) (i32.const 13))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $v)))
    ;; the tail, byte by byte
    (block $done
      (loop $s
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eq (local.get $c) (i32.const 13))
          (then
            (if (i32.lt_u (local.get $i) (local.get $end))
              (then (br_if $s (i32.eq (i32.load8_u (local.get $i)) (i32.const 10))))
              (else (br_if $s (local.get $nextIsLf))))))
        (i32.store8 (local.get $j) (local.get $c))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $s)))
    (i32.sub (local.get $j) (local.get $dst))))
