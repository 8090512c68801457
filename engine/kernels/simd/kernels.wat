;; Hand-written WebAssembly (SIMD) kernels that run on the tfjs WebAssembly backend's own memory
;; (imported), for the two gradient loops that JavaScript cannot make fast: MaxPoolGrad's
;; data-dependent branches mispredict on every window, and im2col is pure index arithmetic.
;; All pointers are byte offsets into that memory. Rebuild kernels.wasm.ts after editing:
;;   npm run build:kernels
(module
  (import "env" "memory" (memory 0))

  ;; 2×2 stride-2 'valid' max-pool gradient, NHWC, C a multiple of 4 (4 channels per lane group).
  ;; Every window's dy goes to its first maximum in row-major order (strict >, so NaN and ties never
  ;; displace an earlier position) and the other three positions get 0 — the cpu backend's rule.
  ;; Rows and columns no window covers (odd H or W) are not written.
  (func (export "maxPoolGrad2x2")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $OH i32) (param $OW i32)
    (local $n i32) (local $oh i32) (local $ow i32) (local $ch i32) (local $p i32) (local $q i32)
    (local $d i32) (local $cb i32) (local $rb i32)
    (local $v00 v128) (local $v01 v128) (local $v10 v128) (local $v11 v128)
    (local $g v128) (local $b v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $t v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rb (i32.mul (local.get $W) (local.get $cb)))
    (local.set $d (i32.sub (local.get $dx) (local.get $x)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $oh (i32.const 0))
      (loop $loh
        (local.set $p (i32.add (local.get $x)
          (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (i32.shl (local.get $oh) (i32.const 1)))
                   (local.get $rb))))
        (local.set $ow (i32.const 0))
        (loop $low
          (local.set $ch (i32.const 0))
          (loop $lch
            (local.set $q (i32.add (local.get $p) (local.get $ch)))
            (local.set $v00 (v128.load (local.get $q)))
            (local.set $v01 (v128.load (i32.add (local.get $q) (local.get $cb))))
            (local.set $v10 (v128.load (i32.add (local.get $q) (local.get $rb))))
            (local.set $v11 (v128.load (i32.add (i32.add (local.get $q) (local.get $rb)) (local.get $cb))))
            (local.set $g (v128.load (local.get $dy)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $s1 (f32x4.gt (local.get $v01) (local.get $v00)))
            (local.set $b (v128.bitselect (local.get $v01) (local.get $v00) (local.get $s1)))
            (local.set $s2 (f32x4.gt (local.get $v10) (local.get $b)))
            (local.set $b (v128.bitselect (local.get $v10) (local.get $b) (local.get $s2)))
            (local.set $s3 (f32x4.gt (local.get $v11) (local.get $b)))
            (local.set $t (v128.or (local.get $s2) (local.get $s3)))
            (local.set $q (i32.add (local.get $q) (local.get $d)))
            (v128.store (local.get $q)
              (v128.andnot (local.get $g) (v128.or (local.get $s1) (local.get $t))))
            (v128.store (i32.add (local.get $q) (local.get $cb))
              (v128.and (local.get $g) (v128.andnot (local.get $s1) (local.get $t))))
            (v128.store (i32.add (local.get $q) (local.get $rb))
              (v128.and (local.get $g) (v128.andnot (local.get $s2) (local.get $s3))))
            (v128.store (i32.add (i32.add (local.get $q) (local.get $rb)) (local.get $cb))
              (v128.and (local.get $g) (local.get $s3)))
            (local.set $ch (i32.add (local.get $ch) (i32.const 16)))
            (br_if $lch (i32.lt_u (local.get $ch) (local.get $cb))))
          (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cb) (i32.const 1))))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br_if $low (i32.lt_u (local.get $ow) (local.get $OW))))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br_if $loh (i32.lt_u (local.get $oh) (local.get $OH))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $N)))))
;; Max-pool gradient for windows that tile the input (stride = window, no dilation, no padding
  ;; offset), any KH×KW, NHWC, C a multiple of 4: the 2×2 kernel's rule (dy to the first maximum in
  ;; row-major order, strict >; the window's other positions get 0) with each lane's winning tap kept
  ;; as an index. Rows and columns no window covers are not written.
  (func (export "maxPoolGradTiles")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $OH i32) (param $OW i32)
    (param $KH i32) (param $KW i32)
    (local $n i32) (local $oh i32) (local $ow i32) (local $ch i32) (local $p i32) (local $q i32)
    (local $r i32) (local $a i32) (local $kh i32) (local $kw i32) (local $t i32)
    (local $d i32) (local $cb i32) (local $rb i32)
    (local $best v128) (local $idx v128) (local $v v128) (local $s v128) (local $g v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rb (i32.mul (local.get $W) (local.get $cb)))
    (local.set $d (i32.sub (local.get $dx) (local.get $x)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $oh (i32.const 0))
      (loop $loh
        (local.set $p (i32.add (local.get $x)
          (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (i32.mul (local.get $oh) (local.get $KH)))
                   (local.get $rb))))
        (local.set $ow (i32.const 0))
        (loop $low
          (local.set $ch (i32.const 0))
          (loop $lch
            (local.set $q (i32.add (local.get $p) (local.get $ch)))
            (local.set $best (v128.load (local.get $q)))
            (local.set $idx (v128.const i32x4 0 0 0 0))
            (local.set $t (i32.const 0))
            (local.set $r (local.get $q))
            (local.set $kh (i32.const 0))
            (loop $lkh
              (local.set $a (local.get $r))
              (local.set $kw (i32.const 0))
              (loop $lkw
                (local.set $v (v128.load (local.get $a)))
                (local.set $s (f32x4.gt (local.get $v) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $s)))
                (local.set $idx (v128.bitselect (i32x4.splat (local.get $t)) (local.get $idx) (local.get $s)))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (local.set $a (i32.add (local.get $a) (local.get $cb)))
                (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                (br_if $lkw (i32.lt_u (local.get $kw) (local.get $KW))))
              (local.set $r (i32.add (local.get $r) (local.get $rb)))
              (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
              (br_if $lkh (i32.lt_u (local.get $kh) (local.get $KH))))
            (local.set $g (v128.load (local.get $dy)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $t (i32.const 0))
            (local.set $r (i32.add (local.get $q) (local.get $d)))
            (local.set $kh (i32.const 0))
            (loop $skh
              (local.set $a (local.get $r))
              (local.set $kw (i32.const 0))
              (loop $skw
                (v128.store (local.get $a)
                  (v128.and (local.get $g) (i32x4.eq (local.get $idx) (i32x4.splat (local.get $t)))))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (local.set $a (i32.add (local.get $a) (local.get $cb)))
                (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                (br_if $skw (i32.lt_u (local.get $kw) (local.get $KW))))
              (local.set $r (i32.add (local.get $r) (local.get $rb)))
              (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
              (br_if $skh (i32.lt_u (local.get $kh) (local.get $KH))))
            (local.set $ch (i32.add (local.get $ch) (i32.const 16)))
            (br_if $lch (i32.lt_u (local.get $ch) (local.get $cb))))
          (local.set $p (i32.add (local.get $p) (i32.mul (local.get $KW) (local.get $cb))))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br_if $low (i32.lt_u (local.get $ow) (local.get $OW))))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br_if $loh (i32.lt_u (local.get $oh) (local.get $OH))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $N)))))

  ;; A convolution of a one-channel input, NHWC, CO a multiple of 4, no dilation:
  ;; out[n, oh, ow, co] = Σ_kh,kw x[n, oh·sh + kh − top, ow·sw + kw − left] · f[kh, kw, 0, co], taps
  ;; outside x contributing nothing. XNNPACK runs this through its general path (an indirection
  ;; buffer and a product with K = KH·KW), slower per multiply-add than on wide inputs;
  ;; here each tap is one splat against 16 output channels at a time, the filter staying in cache.
  (func (export "conv2dOneChannel")
    (param $x i32) (param $f i32) (param $out i32)
    (param $N i32) (param $H i32) (param $W i32) (param $OH i32) (param $OW i32)
    (param $KH i32) (param $KW i32) (param $CO i32) (param $sh i32) (param $sw i32)
    (param $top i32) (param $left i32)
    (local $n i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32) (local $ih i32)
    (local $iw i32) (local $c0 i32) (local $cb i32) (local $po i32) (local $pf i32) (local $row i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $s v128)
    (local $acc4 v128) (local $acc5 v128) (local $acc6 v128) (local $acc7 v128) (local $w i32)
    (local.set $cb (i32.shl (local.get $CO) (i32.const 2)))
    (local.set $po (local.get $out))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $oh (i32.const 0))
      (loop $loh
        (local.set $ow (i32.const 0))
        (loop $low
          (local.set $c0 (i32.const 0))
          (loop $lc
            ;; this pass's width in bytes: 32 channels, else 16, else 4
            (local.set $w (i32.const 16))
            (if (i32.le_u (i32.add (local.get $c0) (i32.const 64)) (local.get $cb)) (then (local.set $w (i32.const 64))))
            (if (i32.le_u (i32.add (local.get $c0) (i32.const 128)) (local.get $cb)) (then (local.set $w (i32.const 128))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $acc4 (v128.const i32x4 0 0 0 0))
            (local.set $acc5 (v128.const i32x4 0 0 0 0))
            (local.set $acc6 (v128.const i32x4 0 0 0 0))
            (local.set $acc7 (v128.const i32x4 0 0 0 0))
            (local.set $acc1 (v128.const i32x4 0 0 0 0))
            (local.set $acc2 (v128.const i32x4 0 0 0 0))
            (local.set $acc3 (v128.const i32x4 0 0 0 0))
            (local.set $kh (i32.const 0))
            (loop $lkh
              (local.set $ih (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $sh)) (local.get $kh)) (local.get $top)))
              ;; unsigned: a row above the input (negative) is out of range too
              (if (i32.lt_u (local.get $ih) (local.get $H))
                (then
                  (local.set $row (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $ih)) (local.get $W)))
                  (local.set $kw (i32.const 0))
                  (loop $lkw
                    (local.set $iw (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $sw)) (local.get $kw)) (local.get $left)))
                    (if (i32.lt_u (local.get $iw) (local.get $W))
                      (then
                        (local.set $s (v128.load32_splat (i32.add (local.get $x)
                          (i32.shl (i32.add (local.get $row) (local.get $iw)) (i32.const 2)))))
                        (local.set $pf (i32.add (i32.add (local.get $f)
                          (i32.mul (i32.add (i32.mul (local.get $kh) (local.get $KW)) (local.get $kw)) (local.get $cb)))
                          (local.get $c0)))
                        (local.set $acc0 (call $madd (local.get $s) (v128.load (local.get $pf)) (local.get $acc0)))
                        (if (i32.ge_u (local.get $w) (i32.const 64))
                          (then
                            (local.set $acc1 (call $madd (local.get $s) (v128.load offset=16 (local.get $pf)) (local.get $acc1)))
                            (local.set $acc2 (call $madd (local.get $s) (v128.load offset=32 (local.get $pf)) (local.get $acc2)))
                            (local.set $acc3 (call $madd (local.get $s) (v128.load offset=48 (local.get $pf)) (local.get $acc3)))
                            (if (i32.eq (local.get $w) (i32.const 128))
                              (then
                                (local.set $acc4 (call $madd (local.get $s) (v128.load offset=64 (local.get $pf)) (local.get $acc4)))
                                (local.set $acc5 (call $madd (local.get $s) (v128.load offset=80 (local.get $pf)) (local.get $acc5)))
                                (local.set $acc6 (call $madd (local.get $s) (v128.load offset=96 (local.get $pf)) (local.get $acc6)))
                                (local.set $acc7 (call $madd (local.get $s) (v128.load offset=112 (local.get $pf)) (local.get $acc7)))))))))
                    (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                    (br_if $lkw (i32.lt_u (local.get $kw) (local.get $KW))))))
              (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
              (br_if $lkh (i32.lt_u (local.get $kh) (local.get $KH))))
            (v128.store (i32.add (local.get $po) (local.get $c0)) (local.get $acc0))
            (if (i32.ge_u (local.get $w) (i32.const 64))
              (then
                (v128.store offset=16 (i32.add (local.get $po) (local.get $c0)) (local.get $acc1))
                (v128.store offset=32 (i32.add (local.get $po) (local.get $c0)) (local.get $acc2))
                (v128.store offset=48 (i32.add (local.get $po) (local.get $c0)) (local.get $acc3))))
            (if (i32.eq (local.get $w) (i32.const 128))
              (then
                (v128.store offset=64 (i32.add (local.get $po) (local.get $c0)) (local.get $acc4))
                (v128.store offset=80 (i32.add (local.get $po) (local.get $c0)) (local.get $acc5))
                (v128.store offset=96 (i32.add (local.get $po) (local.get $c0)) (local.get $acc6))
                (v128.store offset=112 (i32.add (local.get $po) (local.get $c0)) (local.get $acc7))))
            (local.set $c0 (i32.add (local.get $c0) (local.get $w)))
            (br_if $lc (i32.lt_u (local.get $c0) (local.get $cb))))
          (local.set $po (i32.add (local.get $po) (local.get $cb)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br_if $low (i32.lt_u (local.get $ow) (local.get $OW))))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br_if $loh (i32.lt_u (local.get $oh) (local.get $OH))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $N)))))

  ;; im2col for Conv2DBackpropFilter, transposed: cols[(kh·KW + kw)·CI + ci][m] for m = (n − n0, oh, ow)
  ;; over images n0 … n0+nc−1, i.e. x[n, oh·sh + kh·dh − top, ow·sw + kw·dw − left, ci], 0 outside x.
  ;; cols is written front to back; taps outside x are zeros.
  (func (export "im2colT")
    (param $x i32) (param $cols i32) (param $n0 i32) (param $nc i32)
    (param $H i32) (param $W i32) (param $CI i32) (param $OH i32) (param $OW i32)
    (param $KH i32) (param $KW i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $kh i32) (local $kw i32) (local $ci i32) (local $n i32) (local $oh i32) (local $ow i32)
    (local $ih i32) (local $iw i32) (local $o i32) (local $xb i32) (local $xr i32) (local $end i32)
    (local $cb i32) (local $swb i32)
    (local.set $o (local.get $cols))
    (local.set $cb (i32.shl (local.get $CI) (i32.const 2)))
    (local.set $swb (i32.mul (local.get $sw) (local.get $cb)))
    (local.set $kh (i32.const 0))
    (loop $lkh
      (local.set $kw (i32.const 0))
      (loop $lkw
        (local.set $ci (i32.const 0))
        (loop $lci
          (local.set $n (local.get $n0))
          (loop $ln
            (local.set $xb (i32.add (local.get $x) (i32.shl
              (i32.add (i32.mul (i32.mul (i32.mul (local.get $n) (local.get $H)) (local.get $W)) (local.get $CI)) (local.get $ci))
              (i32.const 2))))
            (local.set $oh (i32.const 0))
            (loop $loh
              (local.set $ih (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $sh)) (i32.mul (local.get $kh) (local.get $dh))) (local.get $top)))
              (local.set $end (i32.add (local.get $o) (i32.shl (local.get $OW) (i32.const 2))))
              (if (i32.lt_u (local.get $ih) (local.get $H))
                (then
                  (local.set $iw (i32.sub (i32.mul (local.get $kw) (local.get $dw)) (local.get $left)))
                  (local.set $xr (i32.add (i32.add (local.get $xb) (i32.mul (i32.mul (local.get $ih) (local.get $W)) (local.get $cb)))
                                          (i32.mul (local.get $iw) (local.get $cb))))
                  (loop $low
                    (f32.store (local.get $o)
                      (if (result f32) (i32.lt_u (local.get $iw) (local.get $W))
                        (then (f32.load (local.get $xr)))
                        (else (f32.const 0))))
                    (local.set $iw (i32.add (local.get $iw) (local.get $sw)))
                    (local.set $xr (i32.add (local.get $xr) (local.get $swb)))
                    (local.set $o (i32.add (local.get $o) (i32.const 4)))
                    (br_if $low (i32.lt_u (local.get $o) (local.get $end)))))
                (else
                  (loop $lz
                    (f32.store (local.get $o) (f32.const 0))
                    (local.set $o (i32.add (local.get $o) (i32.const 4)))
                    (br_if $lz (i32.lt_u (local.get $o) (local.get $end))))))
              (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
              (br_if $loh (i32.lt_u (local.get $oh) (local.get $OH))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br_if $ln (i32.lt_u (local.get $n) (i32.add (local.get $n0) (local.get $nc)))))
          (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
          (br_if $lci (i32.lt_u (local.get $ci) (local.get $CI))))
        (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
        (br_if $lkw (i32.lt_u (local.get $kw) (local.get $KW))))
      (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
      (br_if $lkh (i32.lt_u (local.get $kh) (local.get $KH)))))

  ;; col2im for Conv2DBackpropInput, the scatter of im2col: for rows m = (n − n0, oh, ow) of
  ;; cols[m][(kh·KW + kw)·CI + ci], x[n, oh·sh + kh·dh − top, ow·sw + kw·dw − left, ci] += that value,
  ;; taps outside x dropped. Channels in fours (v128), the rest one by one. x must start zeroed.
  (func (export "col2im")
    (param $cols i32) (param $x i32) (param $n0 i32) (param $nc i32)
    (param $H i32) (param $W i32) (param $CI i32) (param $OH i32) (param $OW i32)
    (param $KH i32) (param $KW i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $n i32) (local $nend i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32)
    (local $ih i32) (local $iw i32) (local $src i32) (local $dst i32) (local $cb i32) (local $cb4 i32)
    (local $xb i32) (local $j i32)
    (local.set $cb (i32.shl (local.get $CI) (i32.const 2)))
    (local.set $cb4 (i32.and (local.get $cb) (i32.const -16)))
    (local.set $src (local.get $cols))
    (local.set $n (local.get $n0))
    (local.set $nend (i32.add (local.get $n0) (local.get $nc)))
    (loop $ln
      (local.set $xb (i32.add (local.get $x)
        (i32.mul (i32.mul (i32.mul (local.get $n) (local.get $H)) (local.get $W)) (local.get $cb))))
      (local.set $oh (i32.const 0))
      (loop $loh
        (local.set $ow (i32.const 0))
        (loop $low
          (local.set $kh (i32.const 0))
          (loop $lkh
            (local.set $ih (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $sh))
                                             (i32.mul (local.get $kh) (local.get $dh))) (local.get $top)))
            (local.set $kw (i32.const 0))
            (loop $lkw
              (local.set $iw (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $sw))
                                               (i32.mul (local.get $kw) (local.get $dw))) (local.get $left)))
              (if (i32.and (i32.lt_u (local.get $ih) (local.get $H)) (i32.lt_u (local.get $iw) (local.get $W)))
                (then
                  (local.set $dst (i32.add (local.get $xb)
                    (i32.mul (i32.add (i32.mul (local.get $ih) (local.get $W)) (local.get $iw)) (local.get $cb))))
                  (local.set $j (i32.const 0))
                  (block $vdone
                    (br_if $vdone (i32.ge_u (local.get $j) (local.get $cb4)))
                    (loop $lv
                      (v128.store (i32.add (local.get $dst) (local.get $j))
                        (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $j)))
                                   (v128.load (i32.add (local.get $src) (local.get $j)))))
                      (local.set $j (i32.add (local.get $j) (i32.const 16)))
                      (br_if $lv (i32.lt_u (local.get $j) (local.get $cb4)))))
                  (block $sdone
                    (br_if $sdone (i32.ge_u (local.get $j) (local.get $cb)))
                    (loop $ls
                      (f32.store (i32.add (local.get $dst) (local.get $j))
                        (f32.add (f32.load (i32.add (local.get $dst) (local.get $j)))
                                 (f32.load (i32.add (local.get $src) (local.get $j)))))
                      (local.set $j (i32.add (local.get $j) (i32.const 4)))
                      (br_if $ls (i32.lt_u (local.get $j) (local.get $cb)))))))
              (local.set $src (i32.add (local.get $src) (local.get $cb)))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br_if $lkw (i32.lt_u (local.get $kw) (local.get $KW))))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br_if $lkh (i32.lt_u (local.get $kh) (local.get $KH))))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br_if $low (i32.lt_u (local.get $ow) (local.get $OW))))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br_if $loh (i32.lt_u (local.get $oh) (local.get $OH))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $nend)))))

  ;; out[c] = Σ_m x[m][c] for x [M, C], C a multiple of 4: a bias gradient. Rows are added in order,
  ;; one running sum per channel, as the cpu backend does.
  (func (export "sumRows")
    (param $x i32) (param $out i32) (param $M i32) (param $C i32)
    (local $cb i32) (local $end i32) (local $j i32) (local $p i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $cb))
    (local.set $p (local.get $x))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $M) (local.get $cb))))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (v128.store (i32.add (local.get $out) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $out) (local.get $j)))
                     (v128.load (i32.add (local.get $p) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
      (local.set $p (i32.add (local.get $p) (local.get $cb)))
      (br_if $lm (i32.lt_u (local.get $p) (local.get $end)))))

  ;; c + a·b lane by lane: matTN's multiply-add. scripts/build-wasm-kernels.mts also builds the module
  ;; with this body as f32x4.relaxed_madd (one fused instruction where the engine has FMA), which
  ;; engine/kernels/simd/module.ts picks where the engine validates it (docs/ARCHITECTURE.md, Compute
  ;; backends).
  (func $madd (param $a v128) (param $b v128) (param $c v128) (result v128)
    (f32x4.add (local.get $c) (f32x4.mul (local.get $a) (local.get $b))))

  ;; An accumulator's starting value: zero on the first block of an overwriting product (so out needs
  ;; no clearing pass), else what out holds.
  (func $acc0 (param $p i32) (param $fresh i32) (result v128)
    (if (result v128) (local.get $fresh)
      (then (v128.const i32x4 0 0 0 0))
      (else (v128.load (local.get $p)))))

  ;; The micro-kernel of matPacked: out(k, ·) (+)= Σ_{m0 ≤ m < m1} a(k, m) · b(m, ·) for every row k
  ;; of out over one strip of w bytes of columns (64: sixteen, or 16: four), out already at the strip
  ;; and b(m, ·) at pb + (m − m0)·bs. Sixteen columns take four independent accumulators with one
  ;; splat of a(k, m) for all four (a single accumulator waits on each add); rows go two at a time
  ;; where there are two, so each load of b feeds both rows (the loop is bound by loads). Every
  ;; column sums over m in order. fresh: the accumulators start at zero instead of out's values.
  (func $panel
    (param $a i32) (param $pb0 i32) (param $bs i32) (param $out i32) (param $nb i32) (param $K i32)
    (param $m0 i32) (param $m1 i32) (param $sk i32) (param $sm i32) (param $w i32) (param $fresh i32)
    (local $k i32) (local $po i32) (local $pa i32) (local $paEnd i32) (local $pb i32) (local $s v128)
    (local $acc v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $acc4 v128) (local $acc5 v128) (local $acc6 v128) (local $acc7 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $k (i32.const 0))
    (loop $lk
      (local.set $po (i32.add (local.get $out) (i32.mul (local.get $k) (local.get $nb))))
      (local.set $pa (i32.add (local.get $a)
        (i32.add (i32.mul (local.get $k) (local.get $sk)) (i32.mul (local.get $m0) (local.get $sm)))))
      (local.set $paEnd (i32.add (local.get $a)
        (i32.add (i32.mul (local.get $k) (local.get $sk)) (i32.mul (local.get $m1) (local.get $sm)))))
      (local.set $pb (local.get $pb0))
      (if (i32.lt_u (i32.add (local.get $k) (i32.const 1)) (local.get $K))
        (then
          (if (i32.eq (local.get $w) (i32.const 64))
            (then
              (local.set $acc (call $acc0 (local.get $po) (local.get $fresh)))
              (local.set $acc1 (call $acc0 (i32.add (local.get $po) (i32.const 16)) (local.get $fresh)))
              (local.set $acc2 (call $acc0 (i32.add (local.get $po) (i32.const 32)) (local.get $fresh)))
              (local.set $acc3 (call $acc0 (i32.add (local.get $po) (i32.const 48)) (local.get $fresh)))
              (local.set $acc4 (call $acc0 (i32.add (local.get $po) (local.get $nb)) (local.get $fresh)))
              (local.set $acc5 (call $acc0 (i32.add (i32.add (local.get $po) (local.get $nb)) (i32.const 16)) (local.get $fresh)))
              (local.set $acc6 (call $acc0 (i32.add (i32.add (local.get $po) (local.get $nb)) (i32.const 32)) (local.get $fresh)))
              (local.set $acc7 (call $acc0 (i32.add (i32.add (local.get $po) (local.get $nb)) (i32.const 48)) (local.get $fresh)))
              (loop $lm8
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $b2 (v128.load offset=32 (local.get $pb)))
                (local.set $b3 (v128.load offset=48 (local.get $pb)))
                (local.set $s (v128.load32_splat (local.get $pa)))
                (local.set $acc (call $madd (local.get $s) (local.get $b0) (local.get $acc)))
                (local.set $acc1 (call $madd (local.get $s) (local.get $b1) (local.get $acc1)))
                (local.set $acc2 (call $madd (local.get $s) (local.get $b2) (local.get $acc2)))
                (local.set $acc3 (call $madd (local.get $s) (local.get $b3) (local.get $acc3)))
                (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $sk))))
                (local.set $acc4 (call $madd (local.get $s) (local.get $b0) (local.get $acc4)))
                (local.set $acc5 (call $madd (local.get $s) (local.get $b1) (local.get $acc5)))
                (local.set $acc6 (call $madd (local.get $s) (local.get $b2) (local.get $acc6)))
                (local.set $acc7 (call $madd (local.get $s) (local.get $b3) (local.get $acc7)))
                (local.set $pa (i32.add (local.get $pa) (local.get $sm)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bs)))
                (br_if $lm8 (i32.lt_u (local.get $pa) (local.get $paEnd))))
              (v128.store (local.get $po) (local.get $acc))
              (v128.store offset=16 (local.get $po) (local.get $acc1))
              (v128.store offset=32 (local.get $po) (local.get $acc2))
              (v128.store offset=48 (local.get $po) (local.get $acc3))
              (v128.store (i32.add (local.get $po) (local.get $nb)) (local.get $acc4))
              (v128.store offset=16 (i32.add (local.get $po) (local.get $nb)) (local.get $acc5))
              (v128.store offset=32 (i32.add (local.get $po) (local.get $nb)) (local.get $acc6))
              (v128.store offset=48 (i32.add (local.get $po) (local.get $nb)) (local.get $acc7)))
            (else
              (local.set $acc (call $acc0 (local.get $po) (local.get $fresh)))
              (local.set $acc4 (call $acc0 (i32.add (local.get $po) (local.get $nb)) (local.get $fresh)))
              (loop $lm2
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $acc (call $madd (v128.load32_splat (local.get $pa)) (local.get $b0) (local.get $acc)))
                (local.set $acc4 (call $madd (v128.load32_splat (i32.add (local.get $pa) (local.get $sk)))
                  (local.get $b0) (local.get $acc4)))
                (local.set $pa (i32.add (local.get $pa) (local.get $sm)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bs)))
                (br_if $lm2 (i32.lt_u (local.get $pa) (local.get $paEnd))))
              (v128.store (local.get $po) (local.get $acc))
              (v128.store (i32.add (local.get $po) (local.get $nb)) (local.get $acc4))))
          (local.set $k (i32.add (local.get $k) (i32.const 2))))
        (else
          (if (i32.eq (local.get $w) (i32.const 64))
            (then
              (local.set $acc (call $acc0 (local.get $po) (local.get $fresh)))
              (local.set $acc1 (call $acc0 (i32.add (local.get $po) (i32.const 16)) (local.get $fresh)))
              (local.set $acc2 (call $acc0 (i32.add (local.get $po) (i32.const 32)) (local.get $fresh)))
              (local.set $acc3 (call $acc0 (i32.add (local.get $po) (i32.const 48)) (local.get $fresh)))
              (loop $lm4
                (local.set $s (v128.load32_splat (local.get $pa)))
                (local.set $acc (call $madd (local.get $s) (v128.load (local.get $pb)) (local.get $acc)))
                (local.set $acc1 (call $madd (local.get $s) (v128.load offset=16 (local.get $pb)) (local.get $acc1)))
                (local.set $acc2 (call $madd (local.get $s) (v128.load offset=32 (local.get $pb)) (local.get $acc2)))
                (local.set $acc3 (call $madd (local.get $s) (v128.load offset=48 (local.get $pb)) (local.get $acc3)))
                (local.set $pa (i32.add (local.get $pa) (local.get $sm)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bs)))
                (br_if $lm4 (i32.lt_u (local.get $pa) (local.get $paEnd))))
              (v128.store (local.get $po) (local.get $acc))
              (v128.store offset=16 (local.get $po) (local.get $acc1))
              (v128.store offset=32 (local.get $po) (local.get $acc2))
              (v128.store offset=48 (local.get $po) (local.get $acc3)))
            (else
              (local.set $acc (call $acc0 (local.get $po) (local.get $fresh)))
              (loop $lm
                (local.set $acc (call $madd (v128.load32_splat (local.get $pa)) (v128.load (local.get $pb)) (local.get $acc)))
                (local.set $pa (i32.add (local.get $pa) (local.get $sm)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bs)))
                (br_if $lm (i32.lt_u (local.get $pa) (local.get $paEnd))))
              (v128.store (local.get $po) (local.get $acc))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))))
      (br_if $lk (i32.lt_u (local.get $k) (local.get $K)))))

  ;; out[K][N] (+)= Σ_m a(k, m) · b(m, n) for a(k, m) at a + k·sk + m·sm bytes: the products of
  ;; Dense layers and convolution filter gradients without XNNPACK, which would first pack the right
  ;; operand (a fresh tensor every training step). sk = 4M, sm = 4 reads a row-major a [K, M]
  ;; (a forward x · W); sk = 4, sm = 4K reads a stored as [M, K], i.e. aᵀ, with no transposed copy
  ;; (a weight gradient xᵀ · dz). b is [M, N] row-major, or with bt = 1 stored as [N, M] (the input
  ;; gradient dz · Wᵀ reads W in place). The loops are blocked for the caches (the order of a
  ;; BLIS-style product): rows of b go in the fewest blocks of at most 192 rows, as even as they
  ;; come, each block first copied to scratch as strips of 16 columns (four where at most four
  ;; are left), contiguous, zero-padded; then for each group of 256 columns (the group's copy stays
  ;; in the L2 cache) the rows of out go 16 at a time, their slice of a reused from the L1 cache by
  ;; every strip of the group (a strided a is first copied there contiguously: one pass over each of
  ;; its cache lines, not one line per multiply-add). So neither operand is streamed from far once
  ;; per strip. N need not be a multiple of 4: a last strip of 1–3 columns runs four wide and one of
  ;; 5–15 sixteen wide on the zero padding, into a tail of out in scratch (a classifier head's 10
  ;; units: one strip, not three of four). Blocking does not change the sums' order: every column
  ;; sums over m in order. Scratch at `pack`: matPackedScratch bytes (simd/module.ts computes the
  ;; same). accumulate = 0 overwrites out, 1 adds to it.
  (func $matPacked (export "matPacked")
    (param $a i32) (param $b i32) (param $out i32) (param $K i32) (param $M i32) (param $N i32)
    (param $accumulate i32) (param $sk i32) (param $sm i32) (param $pack i32) (param $bt i32)
    (local $nb i32) (local $jl i32) (local $wl i32) (local $wr i32) (local $ap i32) (local $tail i32)
    (local $m0 i32) (local $m1 i32) (local $rows i32) (local $g0 i32) (local $g1 i32) (local $k0 i32)
    (local $kr i32) (local $j i32) (local $w i32) (local $p i32) (local $c i32) (local $src i32)
    (local $dst i32) (local $end i32) (local $pa i32) (local $ask i32) (local $pm0 i32) (local $pm1 i32)
    (local $po i32) (local $ob i32) (local $fresh i32) (local $partial i32) (local $asm i32) (local $mb i32)
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    ;; jl: the last strip's first byte of columns; wr: its bytes of columns in out; wl: in scratch
    (local.set $jl (i32.and (i32.sub (local.get $nb) (i32.const 4)) (i32.const -64)))
    (local.set $wr (i32.sub (local.get $nb) (local.get $jl)))
    (local.set $wl (select (i32.const 16) (i32.const 64) (i32.le_u (local.get $wr) (i32.const 16))))
    (local.set $partial (i32.lt_u (local.get $wr) (local.get $wl)))
    ;; scratch: b's block (192 rows × jl + wl bytes), a's slice (16 × 192 floats), out's tail (K × 64)
    (local.set $ap (i32.add (local.get $pack)
      (i32.mul (i32.const 192) (i32.add (local.get $jl) (local.get $wl)))))
    (local.set $tail (i32.add (local.get $ap) (i32.const 12288)))
    (if (i32.and (local.get $partial) (local.get $accumulate))
      (then
        (local.set $p (i32.const 0))
        (loop $lin
          (local.set $c (i32.const 0))
          (loop $lic
            (f32.store (i32.add (i32.add (local.get $tail) (i32.mul (local.get $p) (local.get $wl))) (local.get $c))
              (f32.load (i32.add (i32.add (local.get $out) (i32.mul (local.get $p) (local.get $nb)))
                (i32.add (local.get $jl) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br_if $lic (i32.lt_u (local.get $c) (local.get $wr))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $lin (i32.lt_u (local.get $p) (local.get $K))))))
    ;; mb: rows of b per block, the fewest blocks of at most 192 rows, as even as they come
    (local.set $mb (i32.div_u (i32.add (local.get $M) (i32.const 191)) (i32.const 192)))
    (local.set $mb (i32.div_u (i32.sub (i32.add (local.get $M) (local.get $mb)) (i32.const 1)) (local.get $mb)))
    (local.set $m0 (i32.const 0))
    (loop $lblk
      (local.set $m1 (i32.add (local.get $m0) (local.get $mb)))
      (if (i32.gt_u (local.get $m1) (local.get $M)) (then (local.set $m1 (local.get $M))))
      (local.set $rows (i32.sub (local.get $m1) (local.get $m0)))
      (local.set $fresh (i32.and (i32.eqz (local.get $m0)) (i32.eqz (local.get $accumulate))))
      ;; b's block to scratch: the strip at column byte j goes to pack + rows·j, w bytes a row
      (if (i32.or (local.get $bt) (local.get $partial))
        (then
          ;; column by column (b stored as [N, M]: each column of b is a row there), the padding of a
          ;; partial strip zeroed first
          (if (local.get $partial)
            (then (memory.fill (i32.add (local.get $pack) (i32.mul (local.get $rows) (local.get $jl)))
              (i32.const 0) (i32.mul (local.get $rows) (local.get $wl)))))
          (local.set $c (i32.const 0))
          (loop $lcol
            (local.set $j (i32.and (local.get $c) (i32.const -64)))
            (local.set $w (select (local.get $wl) (i32.const 64) (i32.eq (local.get $j) (local.get $jl))))
            (local.set $src (select
              (i32.add (local.get $b) (i32.add (i32.mul (local.get $c) (local.get $M)) (i32.shl (local.get $m0) (i32.const 2))))
              (i32.add (i32.add (local.get $b) (i32.mul (local.get $m0) (local.get $nb))) (local.get $c))
              (local.get $bt)))
            (local.set $dst (i32.add (i32.add (local.get $pack) (i32.mul (local.get $rows) (local.get $j)))
              (i32.sub (local.get $c) (local.get $j))))
            (local.set $end (i32.add (local.get $dst) (i32.mul (local.get $rows) (local.get $w))))
            (loop $lrow
              (f32.store (local.get $dst) (f32.load (local.get $src)))
              (local.set $src (i32.add (local.get $src) (select (i32.const 4) (local.get $nb) (local.get $bt))))
              (local.set $dst (i32.add (local.get $dst) (local.get $w)))
              (br_if $lrow (i32.lt_u (local.get $dst) (local.get $end))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br_if $lcol (i32.lt_u (local.get $c) (local.get $nb)))))
        (else
          (local.set $j (i32.const 0))
          (loop $lstrip
            (local.set $w (select (local.get $wl) (i32.const 64) (i32.eq (local.get $j) (local.get $jl))))
            (local.set $src (i32.add (i32.add (local.get $b) (i32.mul (local.get $m0) (local.get $nb))) (local.get $j)))
            (local.set $dst (i32.add (local.get $pack) (i32.mul (local.get $rows) (local.get $j))))
            (local.set $end (i32.add (local.get $dst) (i32.mul (local.get $rows) (local.get $w))))
            (loop $lcopy
              (v128.store (local.get $dst) (v128.load (local.get $src)))
              (if (i32.eq (local.get $w) (i32.const 64))
                (then
                  (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
                  (v128.store offset=32 (local.get $dst) (v128.load offset=32 (local.get $src)))
                  (v128.store offset=48 (local.get $dst) (v128.load offset=48 (local.get $src)))))
              (local.set $dst (i32.add (local.get $dst) (local.get $w)))
              (local.set $src (i32.add (local.get $src) (local.get $nb)))
              (br_if $lcopy (i32.lt_u (local.get $dst) (local.get $end))))
            (local.set $j (i32.add (local.get $j) (local.get $w)))
            (br_if $lstrip (i32.lt_u (local.get $j) (local.get $nb))))))
      (local.set $g0 (i32.const 0))
      (loop $lgrp
        (local.set $g1 (i32.add (local.get $g0) (i32.const 1024)))
        (if (i32.gt_u (local.get $g1) (local.get $nb)) (then (local.set $g1 (local.get $nb))))
        (local.set $k0 (i32.const 0))
        (loop $lk
          (local.set $kr (i32.sub (local.get $K) (local.get $k0)))
          (if (i32.gt_u (local.get $kr) (i32.const 16)) (then (local.set $kr (i32.const 16))))
          ;; a read in place when row-major, or when only one strip would use a copy of it
          (if (i32.or (i32.eq (local.get $sm) (i32.const 4))
                (i32.le_u (i32.sub (local.get $g1) (local.get $g0)) (i32.const 64)))
            (then
              (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $k0) (local.get $sk))))
              (local.set $ask (local.get $sk))
              (local.set $asm (local.get $sm))
              (local.set $pm0 (local.get $m0))
              (local.set $pm1 (local.get $m1)))
            (else
              ;; a's slice copied to scratch as 16 floats a row of b (a(k0 + r, m) at ap + 64m + 4r):
              ;; with sk = 4 each is one cache line of a, copied whole
              (local.set $ask (i32.const 4))
              (local.set $asm (i32.const 64))
              (local.set $src (i32.add (local.get $a) (i32.add (i32.mul (local.get $k0) (local.get $sk))
                (i32.mul (local.get $m0) (local.get $sm)))))
              (local.set $dst (local.get $ap))
              (local.set $end (i32.add (local.get $ap) (i32.shl (local.get $rows) (i32.const 6))))
              (if (i32.and (i32.eq (local.get $sk) (i32.const 4)) (i32.eq (local.get $kr) (i32.const 16)))
                (then
                  (loop $lav
                    (v128.store (local.get $dst) (v128.load (local.get $src)))
                    (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
                    (v128.store offset=32 (local.get $dst) (v128.load offset=32 (local.get $src)))
                    (v128.store offset=48 (local.get $dst) (v128.load offset=48 (local.get $src)))
                    (local.set $src (i32.add (local.get $src) (local.get $sm)))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                    (br_if $lav (i32.lt_u (local.get $dst) (local.get $end)))))
                (else
                  (loop $lam
                    (local.set $p (i32.const 0))
                    (loop $lak
                      (f32.store (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 2)))
                        (f32.load (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $sk)))))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (br_if $lak (i32.lt_u (local.get $p) (local.get $kr))))
                    (local.set $src (i32.add (local.get $src) (local.get $sm)))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                    (br_if $lam (i32.lt_u (local.get $dst) (local.get $end))))))
              (local.set $pa (local.get $ap))
              (local.set $pm0 (i32.const 0))
              (local.set $pm1 (local.get $rows))))
          (local.set $j (local.get $g0))
          (loop $lj
            (local.set $w (select (local.get $wl) (i32.const 64) (i32.eq (local.get $j) (local.get $jl))))
            (local.set $po (i32.add (i32.add (local.get $out) (i32.mul (local.get $k0) (local.get $nb))) (local.get $j)))
            (local.set $ob (local.get $nb))
            (if (i32.and (local.get $partial) (i32.eq (local.get $j) (local.get $jl)))
              (then
                (local.set $po (i32.add (local.get $tail) (i32.mul (local.get $k0) (local.get $wl))))
                (local.set $ob (local.get $wl))))
            (call $panel (local.get $pa) (i32.add (local.get $pack) (i32.mul (local.get $rows) (local.get $j)))
              (local.get $w) (local.get $po) (local.get $ob) (local.get $kr) (local.get $pm0) (local.get $pm1)
              (local.get $ask) (local.get $asm) (local.get $w) (local.get $fresh))
            (local.set $j (i32.add (local.get $j) (local.get $w)))
            (br_if $lj (i32.lt_u (local.get $j) (local.get $g1))))
          (local.set $k0 (i32.add (local.get $k0) (i32.const 16)))
          (br_if $lk (i32.lt_u (local.get $k0) (local.get $K))))
        (local.set $g0 (local.get $g1))
        (br_if $lgrp (i32.lt_u (local.get $g0) (local.get $nb))))
      (local.set $m0 (local.get $m1))
      (br_if $lblk (i32.lt_u (local.get $m0) (local.get $M))))
    (if (local.get $partial)
      (then
        (local.set $p (i32.const 0))
        (loop $lout
          (local.set $c (i32.const 0))
          (loop $loc
            (f32.store (i32.add (i32.add (local.get $out) (i32.mul (local.get $p) (local.get $nb)))
                (i32.add (local.get $jl) (local.get $c)))
              (f32.load (i32.add (i32.add (local.get $tail) (i32.mul (local.get $p) (local.get $wl))) (local.get $c))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br_if $loc (i32.lt_u (local.get $c) (local.get $wr))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $lout (i32.lt_u (local.get $p) (local.get $K)))))))

  ;; matPacked's product reading a row-major b in place (N a multiple of 4), for few rows of out,
  ;; where copying b would not pay: columns in strips of 16 (the rest in fours), each strip over rows
  ;; of b in blocks of about 256 KB (at least 16 rows; a tail of fewer than 16 joins the block
  ;; before it), every block serving all K rows of out before the next.
  (func $matStrided (export "matStrided")
    (param $a i32) (param $b i32) (param $out i32) (param $K i32) (param $M i32) (param $N i32)
    (param $accumulate i32) (param $sk i32) (param $sm i32)
    (local $nb i32) (local $j i32) (local $w i32) (local $rows i32) (local $m0 i32) (local $m1 i32)
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rows (i32.div_u (i32.const 262144) (local.get $nb)))
    (if (i32.lt_u (local.get $rows) (i32.const 16)) (then (local.set $rows (i32.const 16))))
    (local.set $j (i32.const 0))
    (loop $lj
      (local.set $w (select (i32.const 64) (i32.const 16)
        (i32.le_u (i32.add (local.get $j) (i32.const 64)) (local.get $nb))))
      (local.set $m0 (i32.const 0))
      (loop $lblk
        (local.set $m1 (i32.add (local.get $m0) (local.get $rows)))
        (if (i32.lt_u (i32.sub (local.get $M) (local.get $m1)) (i32.const 16)) (then (local.set $m1 (local.get $M))))
        (if (i32.gt_u (local.get $m1) (local.get $M)) (then (local.set $m1 (local.get $M))))
        (call $panel (local.get $a)
          (i32.add (i32.add (local.get $b) (i32.mul (local.get $m0) (local.get $nb))) (local.get $j))
          (local.get $nb) (i32.add (local.get $out) (local.get $j)) (local.get $nb) (local.get $K)
          (local.get $m0) (local.get $m1) (local.get $sk) (local.get $sm) (local.get $w)
          (i32.and (i32.eqz (local.get $m0)) (i32.eqz (local.get $accumulate))))
        (local.set $m0 (local.get $m1))
        (br_if $lblk (i32.lt_u (local.get $m0) (local.get $M))))
      (local.set $j (i32.add (local.get $j) (local.get $w)))
      (br_if $lj (i32.lt_u (local.get $j) (local.get $nb)))))

  ;; matStrided over a row-major a [K, M].
  (func (export "matTN")
    (param $a i32) (param $b i32) (param $out i32) (param $K i32) (param $M i32) (param $N i32)
    (param $accumulate i32)
    (call $matStrided (local.get $a) (local.get $b) (local.get $out) (local.get $K) (local.get $M)
      (local.get $N) (local.get $accumulate) (i32.shl (local.get $M) (i32.const 2)) (i32.const 4)))

  ;; out[m][c] = a[m][c] + v[c] for a [M, C], C a multiple of 4: a bias added to every row, which the
  ;; backend's Add does through its general broadcasting loop.
  (func (export "addRowVector")
    (param $a i32) (param $v i32) (param $out i32) (param $M i32) (param $C i32)
    (local $cb i32) (local $end i32) (local $j i32) (local $d i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $d (i32.sub (local.get $out) (local.get $a)))
    (local.set $end (i32.add (local.get $a) (i32.mul (local.get $M) (local.get $cb))))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (v128.store (i32.add (i32.add (local.get $a) (local.get $d)) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $a) (local.get $j)))
                     (v128.load (i32.add (local.get $v) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
      (local.set $a (i32.add (local.get $a) (local.get $cb)))
      (br_if $lm (i32.lt_u (local.get $a) (local.get $end)))))
  ;; One Adam step on n floats, in float32, tfjs' AdamOptimizer's equations:
  ;; m = m·β1 + g·(1−β1); v = v·β2 + g²·(1−β2); w = w + (m/d1) / (√(v/d2) + ε) · step, with
  ;; d1 = 1 − β1^t, d2 = 1 − β2^t and step = −learning rate, all passed rounded to float32. The
  ;; divisions by d1 and d2 are multiplications by step/d1 and 1/d2 (one divide per vector, not
  ;; three: a float rounding apart from tfjs). The new weights go to out (w itself, or another
  ;; tensor: the heap optimizer reads each variable and its gradient where they are and writes the
  ;; new weights straight to the next tensor, with no gathering copies). The last n mod 4 floats go
  ;; one at a time, in the same operations.
  (func (export "adamStep")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $b1 f32) (param $b2 f32) (param $c1 f32) (param $c2 f32)
    (param $d1 f32) (param $d2 f32) (param $eps f32) (param $step f32) (param $out i32)
    (local $i i32) (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $B1 v128) (local $B2 v128) (local $C1 v128) (local $C2 v128)
    (local $D2 v128) (local $E v128) (local $S v128)
    (local $d2i f32) (local $s f32) (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $d2i (f32.div (f32.const 1) (local.get $d2)))
    (local.set $s (f32.div (local.get $step) (local.get $d1)))
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $D2 (f32x4.splat (local.get $d2i)))
    (local.set $E (f32x4.splat (local.get $eps)))
    (local.set $S (f32x4.splat (local.get $s)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done
      (br_if $done (i32.eqz (local.get $end)))
      (loop $l
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $mi (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $B1))
          (f32x4.mul (local.get $gi) (local.get $C1))))
        (local.set $vi (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $B2))
          (f32x4.mul (f32x4.mul (local.get $gi) (local.get $gi)) (local.get $C2))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vi))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.add
              (f32x4.div
                (f32x4.mul (local.get $mi) (local.get $S))
                (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vi) (local.get $D2))) (local.get $E)))
            (v128.load (i32.add (local.get $w) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $end)))))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tail
      (br_if $tail (i32.ge_u (local.get $i) (local.get $end)))
      (loop $lt
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
        (local.set $ms (f32.add
          (f32.mul (f32.load (i32.add (local.get $m) (local.get $i))) (local.get $b1))
          (f32.mul (local.get $gs) (local.get $c1))))
        (local.set $vs (f32.add
          (f32.mul (f32.load (i32.add (local.get $v) (local.get $i))) (local.get $b2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $c2))))
        (f32.store (i32.add (local.get $m) (local.get $i)) (local.get $ms))
        (f32.store (i32.add (local.get $v) (local.get $i)) (local.get $vs))
        (f32.store (i32.add (local.get $out) (local.get $i))
          (f32.add
            (f32.div
              (f32.mul (local.get $ms) (local.get $s))
              (f32.add (f32.sqrt (f32.mul (local.get $vs) (local.get $d2i))) (local.get $eps)))
            (f32.load (i32.add (local.get $w) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $lt (i32.lt_u (local.get $i) (local.get $end))))))

  ;; out = a·x + b·y over n floats (n a multiple of 4): the row-weighted mean of two threads'
  ;; gradients in data-parallel training (engine/train/parallel/host-optimizer.ts). out may be x.
  (func (export "blend")
    (param $x i32) (param $y i32) (param $out i32) (param $n i32) (param $a f32) (param $b f32)
    (local $i i32) (local $end i32) (local $A v128) (local $B v128)
    (local.set $A (f32x4.splat (local.get $a)))
    (local.set $B (f32x4.splat (local.get $b)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $A))
            (f32x4.mul (v128.load (i32.add (local.get $y) (local.get $i))) (local.get $B))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $end))))))

  ;; BatchNormalization in training, over x [M, C] (channels last, C a multiple of 4): the
  ;; batch statistics, the normalisation and its gradient as a few passes over the rows instead of
  ;; tfjs' dozens of broadcasting kernels. Every per-channel sum runs over the rows in order.

  ;; out[c] = Σ_m (x[m][c] − mean[c])²: the variance's numerator, two-pass like tf.moments.
  (func (export "sumSqDev")
    (param $x i32) (param $mean i32) (param $out i32) (param $M i32) (param $C i32)
    (local $cb i32) (local $end i32) (local $j i32) (local $p i32) (local $d v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $cb))
    (local.set $p (local.get $x))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $M) (local.get $cb))))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (local.set $d (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $j)))
                                 (v128.load (i32.add (local.get $mean) (local.get $j)))))
        (v128.store (i32.add (local.get $out) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $out) (local.get $j)))
                     (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
      (local.set $p (i32.add (local.get $p) (local.get $cb)))
      (br_if $lm (i32.lt_u (local.get $p) (local.get $end)))))

  ;; out[m][c] = (x[m][c] − mean[c]) · s[c] + t[c]: the normalisation, γ/σ in s and β in t.
  (func (export "affineRows")
    (param $x i32) (param $mean i32) (param $s i32) (param $t i32) (param $out i32) (param $M i32) (param $C i32)
    (local $cb i32) (local $end i32) (local $j i32) (local $d i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $d (i32.sub (local.get $out) (local.get $x)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $M) (local.get $cb))))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (v128.store (i32.add (i32.add (local.get $x) (local.get $d)) (local.get $j))
          (f32x4.add (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j)))
                                           (v128.load (i32.add (local.get $mean) (local.get $j))))
                                (v128.load (i32.add (local.get $s) (local.get $j))))
                     (v128.load (i32.add (local.get $t) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
      (local.set $x (i32.add (local.get $x) (local.get $cb)))
      (br_if $lm (i32.lt_u (local.get $x) (local.get $end)))))

  ;; sdy[c] = Σ_m dy[m][c] and sdyx[c] = Σ_m dy[m][c] · (x[m][c] − mean[c]): the two sums the
  ;; gradient needs (β's gradient, and γ's times σ), in one pass over dy and x.
  (func (export "bnGradSums")
    (param $dy i32) (param $x i32) (param $mean i32) (param $sdy i32) (param $sdyx i32)
    (param $M i32) (param $C i32)
    (local $cb i32) (local $end i32) (local $j i32) (local $g v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (memory.fill (local.get $sdy) (i32.const 0) (local.get $cb))
    (memory.fill (local.get $sdyx) (i32.const 0) (local.get $cb))
    (local.set $end (i32.add (local.get $dy) (i32.mul (local.get $M) (local.get $cb))))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (local.set $g (v128.load (i32.add (local.get $dy) (local.get $j))))
        (v128.store (i32.add (local.get $sdy) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $sdy) (local.get $j))) (local.get $g)))
        (v128.store (i32.add (local.get $sdyx) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $sdyx) (local.get $j)))
                     (f32x4.mul (local.get $g)
                                (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j)))
                                           (v128.load (i32.add (local.get $mean) (local.get $j)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
      (local.set $dy (i32.add (local.get $dy) (local.get $cb)))
      (local.set $x (i32.add (local.get $x) (local.get $cb)))
      (br_if $lm (i32.lt_u (local.get $dy) (local.get $end)))))

  ;; out[m][c] = a[c] · dy[m][c] + b[c] · (x[m][c] − mean[c]) + k[c]: the input gradient, its
  ;; per-channel coefficients computed by the caller from the sums above.
  (func (export "bnGradInput")
    (param $dy i32) (param $x i32) (param $mean i32) (param $a i32) (param $b i32) (param $k i32)
    (param $out i32) (param $M i32) (param $C i32)
    (local $cb i32) (local $end i32) (local $j i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $end (i32.add (local.get $dy) (i32.mul (local.get $M) (local.get $cb))))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (v128.store (i32.add (local.get $out) (local.get $j))
          (f32x4.add
            (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $j)))
                                  (v128.load (i32.add (local.get $dy) (local.get $j))))
                       (f32x4.mul (v128.load (i32.add (local.get $b) (local.get $j)))
                                  (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j)))
                                             (v128.load (i32.add (local.get $mean) (local.get $j))))))
            (v128.load (i32.add (local.get $k) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
      (local.set $dy (i32.add (local.get $dy) (local.get $cb)))
      (local.set $x (i32.add (local.get $x) (local.get $cb)))
      (local.set $out (i32.add (local.get $out) (local.get $cb)))
      (br_if $lm (i32.lt_u (local.get $dy) (local.get $end)))))

;; One filter tap's gradient without im2col: out[ci][co] (+)= Σ x[n, oh·sh + ihOff, ow·sw + iwOff, ci]
  ;; · dy[n, oh, ow, co] over n < N, ohLo ≤ oh < ohHi, owLo ≤ ow < owHi (the caller picks the ranges
  ;; so every tap is inside x). out is the tap's [CI, CO] block of the filter gradient, CO a multiple
  ;; of 4. With CO a multiple of 16, two input channels at a time × 16 output columns (eight
  ;; accumulators share each load of dy); otherwise one channel × 16 columns, then × 4. Every column
  ;; sums over (n, oh, ow) in order, as the im2col product does.
  (func (export "convFilterTap")
    (param $x i32) (param $dy i32) (param $out i32)
    (param $N i32) (param $H i32) (param $W i32) (param $CI i32) (param $OH i32) (param $OW i32) (param $CO i32)
    (param $ohLo i32) (param $ohHi i32) (param $owLo i32) (param $owHi i32)
    (param $ihOff i32) (param $iwOff i32) (param $sh i32) (param $sw i32)
    (local $n i32) (local $oh i32) (local $xrow i32) (local $dyrow i32) (local $ci i32) (local $j i32)
    (local $px i32) (local $pd i32) (local $po i32) (local $pq i32) (local $end i32) (local $cb i32)
    (local $ob i32) (local $xstep i32) (local $cnt i32) (local $pair i32) (local $by16 i32)
    (local $acc v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $acc4 v128) (local $acc5 v128) (local $acc6 v128) (local $acc7 v128)
    (local $s v128) (local $s1 v128) (local $d v128)
    (local.set $cnt (i32.sub (local.get $owHi) (local.get $owLo)))
    (if (i32.le_s (local.get $cnt) (i32.const 0)) (then (return)))
    (if (i32.ge_s (local.get $ohLo) (local.get $ohHi)) (then (return)))
    (local.set $cb (i32.shl (local.get $CI) (i32.const 2)))
    (local.set $ob (i32.shl (local.get $CO) (i32.const 2)))
    (local.set $by16 (i32.eqz (i32.and (local.get $CO) (i32.const 15))))
    (local.set $xstep (i32.mul (local.get $sw) (local.get $cb)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $oh (local.get $ohLo))
      (loop $loh
        (local.set $xrow (i32.add (local.get $x) (i32.mul (local.get $cb)
          (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H))
                                     (i32.add (i32.mul (local.get $oh) (local.get $sh)) (local.get $ihOff)))
                            (local.get $W))
                   (i32.add (i32.mul (local.get $owLo) (local.get $sw)) (local.get $iwOff))))))
        (local.set $dyrow (i32.add (local.get $dy) (i32.mul (local.get $ob)
          (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $OH)) (local.get $oh)) (local.get $OW))
                   (local.get $owLo)))))
        (local.set $ci (i32.const 0))
        (loop $lci
          (local.set $pair (i32.and (local.get $by16)
            (i32.lt_u (i32.add (local.get $ci) (i32.const 1)) (local.get $CI))))
          (local.set $j (i32.const 0))
          (loop $lj
            (local.set $po (i32.add (i32.add (local.get $out) (i32.mul (local.get $ci) (local.get $ob))) (local.get $j)))
            (local.set $pq (i32.add (local.get $po) (local.get $ob)))
            (local.set $px (i32.add (local.get $xrow) (i32.shl (local.get $ci) (i32.const 2))))
            (local.set $pd (i32.add (local.get $dyrow) (local.get $j)))
            (local.set $end (i32.add (local.get $px) (i32.mul (local.get $cnt) (local.get $xstep))))
            (if (local.get $pair)
              (then
                (local.set $acc (v128.load (local.get $po)))
                (local.set $acc1 (v128.load offset=16 (local.get $po)))
                (local.set $acc2 (v128.load offset=32 (local.get $po)))
                (local.set $acc3 (v128.load offset=48 (local.get $po)))
                (local.set $acc4 (v128.load (local.get $pq)))
                (local.set $acc5 (v128.load offset=16 (local.get $pq)))
                (local.set $acc6 (v128.load offset=32 (local.get $pq)))
                (local.set $acc7 (v128.load offset=48 (local.get $pq)))
                (loop $lw8
                  (local.set $s (v128.load32_splat (local.get $px)))
                  (local.set $s1 (v128.load32_splat offset=4 (local.get $px)))
                  (local.set $d (v128.load (local.get $pd)))
                  (local.set $acc (call $madd (local.get $s) (local.get $d) (local.get $acc)))
                  (local.set $acc4 (call $madd (local.get $s1) (local.get $d) (local.get $acc4)))
                  (local.set $d (v128.load offset=16 (local.get $pd)))
                  (local.set $acc1 (call $madd (local.get $s) (local.get $d) (local.get $acc1)))
                  (local.set $acc5 (call $madd (local.get $s1) (local.get $d) (local.get $acc5)))
                  (local.set $d (v128.load offset=32 (local.get $pd)))
                  (local.set $acc2 (call $madd (local.get $s) (local.get $d) (local.get $acc2)))
                  (local.set $acc6 (call $madd (local.get $s1) (local.get $d) (local.get $acc6)))
                  (local.set $d (v128.load offset=48 (local.get $pd)))
                  (local.set $acc3 (call $madd (local.get $s) (local.get $d) (local.get $acc3)))
                  (local.set $acc7 (call $madd (local.get $s1) (local.get $d) (local.get $acc7)))
                  (local.set $px (i32.add (local.get $px) (local.get $xstep)))
                  (local.set $pd (i32.add (local.get $pd) (local.get $ob)))
                  (br_if $lw8 (i32.lt_u (local.get $px) (local.get $end))))
                (v128.store (local.get $po) (local.get $acc))
                (v128.store offset=16 (local.get $po) (local.get $acc1))
                (v128.store offset=32 (local.get $po) (local.get $acc2))
                (v128.store offset=48 (local.get $po) (local.get $acc3))
                (v128.store (local.get $pq) (local.get $acc4))
                (v128.store offset=16 (local.get $pq) (local.get $acc5))
                (v128.store offset=32 (local.get $pq) (local.get $acc6))
                (v128.store offset=48 (local.get $pq) (local.get $acc7))
                (local.set $j (i32.add (local.get $j) (i32.const 64))))
              (else
                (if (i32.le_u (i32.add (local.get $j) (i32.const 64)) (local.get $ob))
                  (then
                    (local.set $acc (v128.load (local.get $po)))
                    (local.set $acc1 (v128.load offset=16 (local.get $po)))
                    (local.set $acc2 (v128.load offset=32 (local.get $po)))
                    (local.set $acc3 (v128.load offset=48 (local.get $po)))
                    (loop $lw4
                      (local.set $s (v128.load32_splat (local.get $px)))
                      (local.set $acc (call $madd (local.get $s) (v128.load (local.get $pd)) (local.get $acc)))
                      (local.set $acc1 (call $madd (local.get $s) (v128.load offset=16 (local.get $pd)) (local.get $acc1)))
                      (local.set $acc2 (call $madd (local.get $s) (v128.load offset=32 (local.get $pd)) (local.get $acc2)))
                      (local.set $acc3 (call $madd (local.get $s) (v128.load offset=48 (local.get $pd)) (local.get $acc3)))
                      (local.set $px (i32.add (local.get $px) (local.get $xstep)))
                      (local.set $pd (i32.add (local.get $pd) (local.get $ob)))
                      (br_if $lw4 (i32.lt_u (local.get $px) (local.get $end))))
                    (v128.store (local.get $po) (local.get $acc))
                    (v128.store offset=16 (local.get $po) (local.get $acc1))
                    (v128.store offset=32 (local.get $po) (local.get $acc2))
                    (v128.store offset=48 (local.get $po) (local.get $acc3))
                    (local.set $j (i32.add (local.get $j) (i32.const 64))))
                  (else
                    (local.set $acc (v128.load (local.get $po)))
                    (loop $lw
                      (local.set $acc (call $madd (v128.load32_splat (local.get $px)) (v128.load (local.get $pd)) (local.get $acc)))
                      (local.set $px (i32.add (local.get $px) (local.get $xstep)))
                      (local.set $pd (i32.add (local.get $pd) (local.get $ob)))
                      (br_if $lw (i32.lt_u (local.get $px) (local.get $end))))
                    (v128.store (local.get $po) (local.get $acc))
                    (local.set $j (i32.add (local.get $j) (i32.const 16)))))))
            (br_if $lj (i32.lt_u (local.get $j) (local.get $ob))))
          (local.set $ci (i32.add (local.get $ci) (i32.add (i32.const 1) (local.get $pair))))
          (br_if $lci (i32.lt_u (local.get $ci) (local.get $CI))))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br_if $loh (i32.lt_s (local.get $oh) (local.get $ohHi))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $N)))))
)
