;; The fused convolution op's 1-D convolution on the WebAssembly backend (engine/kernels/fused-conv.ts),
;; the fused MaxPooling1D's pool (fused-max-pool1d.ts) and global average pooling's mean
;; (fused-global-pool.ts), reading and writing the backend's memory
;; (imported) in place; pointers are byte offsets.
;; Rebuild conv.wasm.ts after editing: npm run build:kernels
(module
  (import "env" "memory" (memory 0))

  ;; c + a·b lane by lane: the tiles' multiply-add. scripts/build-wasm-kernels.mts also builds the
  ;; module with this body as f32x4.relaxed_madd (one fused instruction where the engine has FMA),
  ;; which engine/kernels/simd/module.ts picks as it does kernels.wat's.
  (func $madd (param $a v128) (param $b v128) (param $c v128) (result v128)
    (f32x4.add (local.get $c) (f32x4.mul (local.get $a) (local.get $b))))

  ;; 2 output rows × 16 channels: Σ_k a_r[k] · w[k, 0..16) over kn window elements (rows of w
  ;; fb bytes apart), then + bias (pb ≠ 0) and relu; stores to po_r. The tiles' relu is f32x4.pmax
  ;; (a < 0 ? 0 : a, tfjs' relu, NaN kept): one instruction on x64, where f32x4.max's NaN and
  ;; signed-zero rules cost V8 several per vector, which showed in tiles of few taps (a first layer).
  (func $tile2x16 (param $pa0 i32) (param $pa1 i32) (param $pw i32) (param $kn i32) (param $fb i32) (param $pb i32) (param $po0 i32) (param $po1 i32) (param $relu i32) (result i32)
    (local $kb i32) (local $k i32) (local $q i32) (local $a00 v128) (local $a01 v128) (local $a02 v128) (local $a03 v128) (local $a10 v128) (local $a11 v128) (local $a12 v128) (local $a13 v128) (local $s0 v128) (local $s1 v128) (local $bv v128)
    (local.set $a00 (v128.const i32x4 0 0 0 0))
    (local.set $a01 (v128.const i32x4 0 0 0 0))
    (local.set $a02 (v128.const i32x4 0 0 0 0))
    (local.set $a03 (v128.const i32x4 0 0 0 0))
    (local.set $a10 (v128.const i32x4 0 0 0 0))
    (local.set $a11 (v128.const i32x4 0 0 0 0))
    (local.set $a12 (v128.const i32x4 0 0 0 0))
    (local.set $a13 (v128.const i32x4 0 0 0 0))
    (local.set $kb (i32.shl (local.get $kn) (i32.const 2)))
    (local.set $k (i32.const 0))
    (local.set $q (local.get $pw))
    (block $empty (br_if $empty (i32.eqz (local.get $kb)))
      (loop $lk
        (local.set $s0 (v128.load32_splat (i32.add (local.get $pa0) (local.get $k))))
        (local.set $s1 (v128.load32_splat (i32.add (local.get $pa1) (local.get $k))))
        (local.set $bv (v128.load (local.get $q)))
        (local.set $a00 (call $madd (local.get $s0) (local.get $bv) (local.get $a00)))
        (local.set $a10 (call $madd (local.get $s1) (local.get $bv) (local.get $a10)))
        (local.set $bv (v128.load offset=16 (local.get $q)))
        (local.set $a01 (call $madd (local.get $s0) (local.get $bv) (local.get $a01)))
        (local.set $a11 (call $madd (local.get $s1) (local.get $bv) (local.get $a11)))
        (local.set $bv (v128.load offset=32 (local.get $q)))
        (local.set $a02 (call $madd (local.get $s0) (local.get $bv) (local.get $a02)))
        (local.set $a12 (call $madd (local.get $s1) (local.get $bv) (local.get $a12)))
        (local.set $bv (v128.load offset=48 (local.get $q)))
        (local.set $a03 (call $madd (local.get $s0) (local.get $bv) (local.get $a03)))
        (local.set $a13 (call $madd (local.get $s1) (local.get $bv) (local.get $a13)))
        (local.set $q (i32.add (local.get $q) (local.get $fb)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $lk (i32.lt_u (local.get $k) (local.get $kb)))))
    (if (local.get $pb)
      (then
        (local.set $bv (v128.load (local.get $pb)))
        (local.set $a00 (f32x4.add (local.get $a00) (local.get $bv)))
        (local.set $a10 (f32x4.add (local.get $a10) (local.get $bv)))
        (local.set $bv (v128.load offset=16 (local.get $pb)))
        (local.set $a01 (f32x4.add (local.get $a01) (local.get $bv)))
        (local.set $a11 (f32x4.add (local.get $a11) (local.get $bv)))
        (local.set $bv (v128.load offset=32 (local.get $pb)))
        (local.set $a02 (f32x4.add (local.get $a02) (local.get $bv)))
        (local.set $a12 (f32x4.add (local.get $a12) (local.get $bv)))
        (local.set $bv (v128.load offset=48 (local.get $pb)))
        (local.set $a03 (f32x4.add (local.get $a03) (local.get $bv)))
        (local.set $a13 (f32x4.add (local.get $a13) (local.get $bv)))))
    (if (local.get $relu)
      (then
        (local.set $a00 (f32x4.pmax (local.get $a00) (v128.const i32x4 0 0 0 0)))
        (local.set $a01 (f32x4.pmax (local.get $a01) (v128.const i32x4 0 0 0 0)))
        (local.set $a02 (f32x4.pmax (local.get $a02) (v128.const i32x4 0 0 0 0)))
        (local.set $a03 (f32x4.pmax (local.get $a03) (v128.const i32x4 0 0 0 0)))
        (local.set $a10 (f32x4.pmax (local.get $a10) (v128.const i32x4 0 0 0 0)))
        (local.set $a11 (f32x4.pmax (local.get $a11) (v128.const i32x4 0 0 0 0)))
        (local.set $a12 (f32x4.pmax (local.get $a12) (v128.const i32x4 0 0 0 0)))
        (local.set $a13 (f32x4.pmax (local.get $a13) (v128.const i32x4 0 0 0 0)))))
    (v128.store (local.get $po0) (local.get $a00))
    (v128.store offset=16 (local.get $po0) (local.get $a01))
    (v128.store offset=32 (local.get $po0) (local.get $a02))
    (v128.store offset=48 (local.get $po0) (local.get $a03))
    (v128.store (local.get $po1) (local.get $a10))
    (v128.store offset=16 (local.get $po1) (local.get $a11))
    (v128.store offset=32 (local.get $po1) (local.get $a12))
    (v128.store offset=48 (local.get $po1) (local.get $a13))
    (i32.const 0))

  ;; 2 output rows × 4 channels: Σ_k a_r[k] · w[k, 0..4) over kn window elements (rows of w
  ;; fb bytes apart), then + bias (pb ≠ 0) and relu; stores to po_r.
  (func $tile2x4 (param $pa0 i32) (param $pa1 i32) (param $pw i32) (param $kn i32) (param $fb i32) (param $pb i32) (param $po0 i32) (param $po1 i32) (param $relu i32) (result i32)
    (local $kb i32) (local $k i32) (local $q i32) (local $a00 v128) (local $a10 v128) (local $s0 v128) (local $s1 v128) (local $bv v128)
    (local.set $a00 (v128.const i32x4 0 0 0 0))
    (local.set $a10 (v128.const i32x4 0 0 0 0))
    (local.set $kb (i32.shl (local.get $kn) (i32.const 2)))
    (local.set $k (i32.const 0))
    (local.set $q (local.get $pw))
    (block $empty (br_if $empty (i32.eqz (local.get $kb)))
      (loop $lk
        (local.set $s0 (v128.load32_splat (i32.add (local.get $pa0) (local.get $k))))
        (local.set $s1 (v128.load32_splat (i32.add (local.get $pa1) (local.get $k))))
        (local.set $bv (v128.load (local.get $q)))
        (local.set $a00 (call $madd (local.get $s0) (local.get $bv) (local.get $a00)))
        (local.set $a10 (call $madd (local.get $s1) (local.get $bv) (local.get $a10)))
        (local.set $q (i32.add (local.get $q) (local.get $fb)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $lk (i32.lt_u (local.get $k) (local.get $kb)))))
    (if (local.get $pb)
      (then
        (local.set $bv (v128.load (local.get $pb)))
        (local.set $a00 (f32x4.add (local.get $a00) (local.get $bv)))
        (local.set $a10 (f32x4.add (local.get $a10) (local.get $bv)))))
    (if (local.get $relu)
      (then
        (local.set $a00 (f32x4.pmax (local.get $a00) (v128.const i32x4 0 0 0 0)))
        (local.set $a10 (f32x4.pmax (local.get $a10) (v128.const i32x4 0 0 0 0)))))
    (v128.store (local.get $po0) (local.get $a00))
    (v128.store (local.get $po1) (local.get $a10))
    (i32.const 0))

  ;; 1 output row × 16 channels: Σ_k a_r[k] · w[k, 0..16) over kn window elements (rows of w
  ;; fb bytes apart), then + bias (pb ≠ 0) and relu; stores to po_r.
  (func $tile1x16 (param $pa0 i32) (param $pa1 i32) (param $pw i32) (param $kn i32) (param $fb i32) (param $pb i32) (param $po0 i32) (param $po1 i32) (param $relu i32) (result i32)
    (local $kb i32) (local $k i32) (local $q i32) (local $a00 v128) (local $a01 v128) (local $a02 v128) (local $a03 v128) (local $s0 v128) (local $bv v128)
    (local.set $a00 (v128.const i32x4 0 0 0 0))
    (local.set $a01 (v128.const i32x4 0 0 0 0))
    (local.set $a02 (v128.const i32x4 0 0 0 0))
    (local.set $a03 (v128.const i32x4 0 0 0 0))
    (local.set $kb (i32.shl (local.get $kn) (i32.const 2)))
    (local.set $k (i32.const 0))
    (local.set $q (local.get $pw))
    (block $empty (br_if $empty (i32.eqz (local.get $kb)))
      (loop $lk
        (local.set $s0 (v128.load32_splat (i32.add (local.get $pa0) (local.get $k))))
        (local.set $a00 (call $madd (local.get $s0) (v128.load (local.get $q)) (local.get $a00)))
        (local.set $a01 (call $madd (local.get $s0) (v128.load offset=16 (local.get $q)) (local.get $a01)))
        (local.set $a02 (call $madd (local.get $s0) (v128.load offset=32 (local.get $q)) (local.get $a02)))
        (local.set $a03 (call $madd (local.get $s0) (v128.load offset=48 (local.get $q)) (local.get $a03)))
        (local.set $q (i32.add (local.get $q) (local.get $fb)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $lk (i32.lt_u (local.get $k) (local.get $kb)))))
    (if (local.get $pb)
      (then
        (local.set $bv (v128.load (local.get $pb)))
        (local.set $a00 (f32x4.add (local.get $a00) (local.get $bv)))
        (local.set $bv (v128.load offset=16 (local.get $pb)))
        (local.set $a01 (f32x4.add (local.get $a01) (local.get $bv)))
        (local.set $bv (v128.load offset=32 (local.get $pb)))
        (local.set $a02 (f32x4.add (local.get $a02) (local.get $bv)))
        (local.set $bv (v128.load offset=48 (local.get $pb)))
        (local.set $a03 (f32x4.add (local.get $a03) (local.get $bv)))))
    (if (local.get $relu)
      (then
        (local.set $a00 (f32x4.pmax (local.get $a00) (v128.const i32x4 0 0 0 0)))
        (local.set $a01 (f32x4.pmax (local.get $a01) (v128.const i32x4 0 0 0 0)))
        (local.set $a02 (f32x4.pmax (local.get $a02) (v128.const i32x4 0 0 0 0)))
        (local.set $a03 (f32x4.pmax (local.get $a03) (v128.const i32x4 0 0 0 0)))))
    (v128.store (local.get $po0) (local.get $a00))
    (v128.store offset=16 (local.get $po0) (local.get $a01))
    (v128.store offset=32 (local.get $po0) (local.get $a02))
    (v128.store offset=48 (local.get $po0) (local.get $a03))
    (i32.const 0))

  ;; 1 output row × 4 channels: Σ_k a_r[k] · w[k, 0..4) over kn window elements (rows of w
  ;; fb bytes apart), then + bias (pb ≠ 0) and relu; stores to po_r.
  (func $tile1x4 (param $pa0 i32) (param $pa1 i32) (param $pw i32) (param $kn i32) (param $fb i32) (param $pb i32) (param $po0 i32) (param $po1 i32) (param $relu i32) (result i32)
    (local $kb i32) (local $k i32) (local $q i32) (local $a00 v128) (local $s0 v128) (local $bv v128)
    (local.set $a00 (v128.const i32x4 0 0 0 0))
    (local.set $kb (i32.shl (local.get $kn) (i32.const 2)))
    (local.set $k (i32.const 0))
    (local.set $q (local.get $pw))
    (block $empty (br_if $empty (i32.eqz (local.get $kb)))
      (loop $lk
        (local.set $s0 (v128.load32_splat (i32.add (local.get $pa0) (local.get $k))))
        (local.set $a00 (call $madd (local.get $s0) (v128.load (local.get $q)) (local.get $a00)))
        (local.set $q (i32.add (local.get $q) (local.get $fb)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br_if $lk (i32.lt_u (local.get $k) (local.get $kb)))))
    (if (local.get $pb)
      (then
        (local.set $bv (v128.load (local.get $pb)))
        (local.set $a00 (f32x4.add (local.get $a00) (local.get $bv)))))
    (if (local.get $relu)
      (then
        (local.set $a00 (f32x4.pmax (local.get $a00) (v128.const i32x4 0 0 0 0)))))
    (v128.store (local.get $po0) (local.get $a00))
    (i32.const 0))

  ;; One 1-D convolution, channels last, no dilation: y[n, t, f] = act(b[f] + Σ_{i,c} x[n, t·s + i − pad, c]
  ;; · w[i, c, f]) for x [N, L, C], w [KT, C, F] (F a multiple of 4), y [N, OL, F], taps outside x
  ;; contributing nothing. Each output row's window is x's contiguous span of its taps inside x, so
  ;; the product reads x in place (no im2col). Samples go two at a time, row t of both in one tile
  ;; (the same taps inside x, so each load of w feeds both rows, border rows included: an input
  ;; gradient's or a 'same' convolution's border rows would otherwise go one at a time); a last odd
  ;; sample pairs its own rows whose windows lie wholly inside x and takes its border rows one at a
  ;; time. Each output's sum runs over the same taps in the same order either way.
  ;; Channels go 16 at a time, then 4. b = 0: no bias; relu = 0: linear.
  (func (export "conv1d")
    (param $x i32) (param $w i32) (param $b i32) (param $y i32) (param $N i32) (param $L i32)
    (param $C i32) (param $OL i32) (param $KT i32) (param $F i32) (param $s i32) (param $pad i32)
    (param $relu i32)
    (local $n i32) (local $t i32) (local $p0 i32) (local $i0 i32) (local $i1 i32) (local $fb i32)
    (local $cb i32) (local $xn i32) (local $yn i32) (local $pa i32) (local $pw i32) (local $kn i32)
    (local $po i32) (local $j i32) (local $sb i32) (local $xs i32) (local $ys i32)
    (local.set $fb (i32.shl (local.get $F) (i32.const 2)))
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $sb (i32.mul (local.get $s) (local.get $cb)))
    ;; bytes from one sample to the next in x and in y
    (local.set $xs (i32.mul (local.get $L) (local.get $cb)))
    (local.set $ys (i32.mul (local.get $OL) (local.get $fb)))
    (local.set $n (i32.const 0))
    (block $pairs (loop $lp
      (br_if $pairs (i32.ge_u (i32.add (local.get $n) (i32.const 1)) (local.get $N)))
      (local.set $xn (i32.add (local.get $x) (i32.mul (local.get $n) (local.get $xs))))
      (local.set $yn (i32.add (local.get $y) (i32.mul (local.get $n) (local.get $ys))))
      (local.set $t (i32.const 0))
      (loop $ltp
        (local.set $p0 (i32.sub (i32.mul (local.get $t) (local.get $s)) (local.get $pad)))
        (local.set $i0 (select (i32.sub (i32.const 0) (local.get $p0)) (i32.const 0) (i32.lt_s (local.get $p0) (i32.const 0))))
        (local.set $i1 (select (local.get $KT) (i32.sub (local.get $L) (local.get $p0))
          (i32.le_s (local.get $KT) (i32.sub (local.get $L) (local.get $p0)))))
        (local.set $kn (select (i32.mul (i32.sub (local.get $i1) (local.get $i0)) (local.get $C)) (i32.const 0)
          (i32.gt_s (local.get $i1) (local.get $i0))))
        (local.set $pa (i32.add (local.get $xn) (i32.mul (i32.add (local.get $p0) (local.get $i0)) (local.get $cb))))
        (local.set $pw (i32.add (local.get $w) (i32.mul (i32.mul (local.get $i0) (local.get $C)) (local.get $fb))))
        (local.set $po (i32.add (local.get $yn) (i32.mul (local.get $t) (local.get $fb))))
        (local.set $j (i32.const 0))
        (block $widep (loop $l16p
          (br_if $widep (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $fb)))
          (drop (call $tile2x16 (local.get $pa) (i32.add (local.get $pa) (local.get $xs))
            (i32.add (local.get $pw) (local.get $j)) (local.get $kn) (local.get $fb)
            (select (i32.add (local.get $b) (local.get $j)) (i32.const 0) (local.get $b))
            (i32.add (local.get $po) (local.get $j)) (i32.add (i32.add (local.get $po) (local.get $ys)) (local.get $j))
            (local.get $relu)))
          (local.set $j (i32.add (local.get $j) (i32.const 64)))
          (br $l16p)))
        (block $narrowp (loop $l4p
          (br_if $narrowp (i32.ge_u (local.get $j) (local.get $fb)))
          (drop (call $tile2x4 (local.get $pa) (i32.add (local.get $pa) (local.get $xs))
            (i32.add (local.get $pw) (local.get $j)) (local.get $kn) (local.get $fb)
            (select (i32.add (local.get $b) (local.get $j)) (i32.const 0) (local.get $b))
            (i32.add (local.get $po) (local.get $j)) (i32.add (i32.add (local.get $po) (local.get $ys)) (local.get $j))
            (local.get $relu)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $l4p)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br_if $ltp (i32.lt_u (local.get $t) (local.get $OL))))
      (local.set $n (i32.add (local.get $n) (i32.const 2)))
      (br $lp)))
    (block $done (br_if $done (i32.ge_u (local.get $n) (local.get $N)))
    (loop $ln
      (local.set $xn (i32.add (local.get $x) (i32.mul (i32.mul (local.get $n) (local.get $L)) (local.get $cb))))
      (local.set $yn (i32.add (local.get $y) (i32.mul (i32.mul (local.get $n) (local.get $OL)) (local.get $fb))))
      (local.set $t (i32.const 0))
      (loop $lt
        (local.set $p0 (i32.sub (i32.mul (local.get $t) (local.get $s)) (local.get $pad)))
        ;; the taps inside x: i0 ≤ i < i1
        (local.set $i0 (select (i32.sub (i32.const 0) (local.get $p0)) (i32.const 0) (i32.lt_s (local.get $p0) (i32.const 0))))
        (local.set $i1 (select (local.get $KT) (i32.sub (local.get $L) (local.get $p0))
          (i32.le_s (local.get $KT) (i32.sub (local.get $L) (local.get $p0)))))
        (local.set $kn (select (i32.mul (i32.sub (local.get $i1) (local.get $i0)) (local.get $C)) (i32.const 0)
          (i32.gt_s (local.get $i1) (local.get $i0))))
        (local.set $pa (i32.add (local.get $xn) (i32.mul (i32.add (local.get $p0) (local.get $i0)) (local.get $cb))))
        (local.set $pw (i32.add (local.get $w) (i32.mul (i32.mul (local.get $i0) (local.get $C)) (local.get $fb))))
        (local.set $po (i32.add (local.get $yn) (i32.mul (local.get $t) (local.get $fb))))
        (local.set $j (i32.const 0))
        (if (i32.and
              (i32.and (i32.lt_u (i32.add (local.get $t) (i32.const 1)) (local.get $OL))
                       (i32.and (i32.eqz (local.get $i0)) (i32.eq (local.get $i1) (local.get $KT))))
              (i32.le_s (i32.add (i32.add (local.get $p0) (local.get $s)) (local.get $KT)) (local.get $L)))
          (then
            (block $wide (loop $l16
              (br_if $wide (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $fb)))
              (drop (call $tile2x16 (local.get $pa) (i32.add (local.get $pa) (local.get $sb))
                (i32.add (local.get $pw) (local.get $j)) (local.get $kn) (local.get $fb)
                (select (i32.add (local.get $b) (local.get $j)) (i32.const 0) (local.get $b))
                (i32.add (local.get $po) (local.get $j)) (i32.add (i32.add (local.get $po) (local.get $fb)) (local.get $j))
                (local.get $relu)))
              (local.set $j (i32.add (local.get $j) (i32.const 64)))
              (br $l16)))
            (block $narrow (loop $l4
              (br_if $narrow (i32.ge_u (local.get $j) (local.get $fb)))
              (drop (call $tile2x4 (local.get $pa) (i32.add (local.get $pa) (local.get $sb))
                (i32.add (local.get $pw) (local.get $j)) (local.get $kn) (local.get $fb)
                (select (i32.add (local.get $b) (local.get $j)) (i32.const 0) (local.get $b))
                (i32.add (local.get $po) (local.get $j)) (i32.add (i32.add (local.get $po) (local.get $fb)) (local.get $j))
                (local.get $relu)))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br $l4)))
            (local.set $t (i32.add (local.get $t) (i32.const 2))))
          (else
            (block $wide1 (loop $l16b
              (br_if $wide1 (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $fb)))
              (drop (call $tile1x16 (local.get $pa) (i32.const 0)
                (i32.add (local.get $pw) (local.get $j)) (local.get $kn) (local.get $fb)
                (select (i32.add (local.get $b) (local.get $j)) (i32.const 0) (local.get $b))
                (i32.add (local.get $po) (local.get $j)) (i32.const 0) (local.get $relu)))
              (local.set $j (i32.add (local.get $j) (i32.const 64)))
              (br $l16b)))
            (block $narrow1 (loop $l4b
              (br_if $narrow1 (i32.ge_u (local.get $j) (local.get $fb)))
              (drop (call $tile1x4 (local.get $pa) (i32.const 0)
                (i32.add (local.get $pw) (local.get $j)) (local.get $kn) (local.get $fb)
                (select (i32.add (local.get $b) (local.get $j)) (i32.const 0) (local.get $b))
                (i32.add (local.get $po) (local.get $j)) (i32.const 0) (local.get $relu)))
              (local.set $j (i32.add (local.get $j) (i32.const 16)))
              (br $l4b)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))))
        (br_if $lt (i32.lt_u (local.get $t) (local.get $OL))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $N))))))

  ;; A MaxPooling1D whose windows tile its input: y[n, t, c] = max_{p < P} x[n, t·P + p, c] for
  ;; x [N, L, C] (C a multiple of 4), y [N, OL, C], OL·P ≤ L (positions past OL·P are never read).
  ;; The max is f32x4.pmax (m < v ? v : m: the first of equal values, as maxPool1dGrad picks it).
  (func (export "maxPool1d")
    (param $x i32) (param $y i32) (param $N i32) (param $L i32) (param $C i32) (param $OL i32) (param $P i32)
    (local $n i32) (local $t i32) (local $p i32) (local $j i32) (local $cb i32) (local $px i32)
    (local $py i32) (local $pw i32) (local $m v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $px (i32.add (local.get $x) (i32.mul (i32.mul (local.get $n) (local.get $L)) (local.get $cb))))
      (local.set $py (i32.add (local.get $y) (i32.mul (i32.mul (local.get $n) (local.get $OL)) (local.get $cb))))
      (local.set $t (i32.const 0))
      (loop $lt
        (local.set $j (i32.const 0))
        (loop $lc
          (local.set $pw (i32.add (local.get $px) (local.get $j)))
          (local.set $m (v128.load (local.get $pw)))
          (local.set $p (i32.const 1))
          (block $one (br_if $one (i32.ge_u (local.get $p) (local.get $P)))
            (loop $lp
              (local.set $pw (i32.add (local.get $pw) (local.get $cb)))
              (local.set $m (f32x4.pmax (local.get $m) (v128.load (local.get $pw))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $lp (i32.lt_u (local.get $p) (local.get $P)))))
          (v128.store (i32.add (local.get $py) (local.get $j)) (local.get $m))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
        (local.set $px (i32.add (local.get $px) (i32.mul (local.get $P) (local.get $cb))))
        (local.set $py (i32.add (local.get $py) (local.get $cb)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br_if $lt (i32.lt_u (local.get $t) (local.get $OL))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $N)))))

  ;; GlobalAveragePooling1D: y[n, c] = (Σ_t x[n, t, c]) · inv for x [N, L, C] (C a multiple of 4), inv = 1/L.
  (func (export "meanSteps") (param $x i32) (param $y i32) (param $N i32) (param $L i32) (param $C i32) (param $inv f32)
    (local $n i32) (local $t i32) (local $j i32) (local $cb i32) (local $p i32) (local $s v128) (local $k v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $k (f32x4.splat (local.get $inv)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $j (i32.const 0))
      (loop $lc
        (local.set $p (i32.add (i32.add (local.get $x) (i32.mul (i32.mul (local.get $n) (local.get $L)) (local.get $cb))) (local.get $j)))
        (local.set $s (v128.const i32x4 0 0 0 0))
        (local.set $t (i32.const 0))
        (loop $lt
          (local.set $s (f32x4.add (local.get $s) (v128.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $cb)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br_if $lt (i32.lt_u (local.get $t) (local.get $L))))
        (v128.store (i32.add (i32.add (local.get $y) (i32.mul (local.get $n) (local.get $cb))) (local.get $j))
          (f32x4.mul (local.get $s) (local.get $k)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $N)))))

  ;; meanSteps' gradient: dx[n, t, c] = dy[n, c] · inv for every t < L.
  (func (export "meanStepsGrad") (param $dy i32) (param $dx i32) (param $N i32) (param $L i32) (param $C i32) (param $inv f32)
    (local $n i32) (local $t i32) (local $j i32) (local $cb i32) (local $p i32) (local $g v128) (local $k v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $k (f32x4.splat (local.get $inv)))
    (local.set $p (local.get $dx))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $t (i32.const 0))
      (loop $lt
        (local.set $j (i32.const 0))
        (loop $lc
          (v128.store (local.get $p)
            (f32x4.mul (v128.load (i32.add (i32.add (local.get $dy) (i32.mul (local.get $n) (local.get $cb))) (local.get $j))) (local.get $k)))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br_if $lt (i32.lt_u (local.get $t) (local.get $L))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $N)))))

  ;; A Conv1D's filter w [KT, C, F] as its input gradient's filter: out[KT − 1 − i, f, c] = w[i, c, f]
  ;; (taps reversed, channel axes swapped).
  (func (export "flipFilter") (param $w i32) (param $out i32) (param $KT i32) (param $C i32) (param $F i32)
    (local $i i32) (local $c i32) (local $f i32) (local $src i32) (local $dst i32) (local $row i32)
    (local $cb i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $src (local.get $w))
    (local.set $i (i32.const 0))
    (loop $li
      (local.set $row (i32.add (local.get $out)
        (i32.mul (i32.mul (i32.sub (i32.sub (local.get $KT) (i32.const 1)) (local.get $i)) (local.get $F)) (local.get $cb))))
      (local.set $c (i32.const 0))
      (loop $lc
        (local.set $dst (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $f (i32.const 0))
        (loop $lf
          (f32.store (local.get $dst) (f32.load (local.get $src)))
          (local.set $src (i32.add (local.get $src) (i32.const 4)))
          (local.set $dst (i32.add (local.get $dst) (local.get $cb)))
          (local.set $f (i32.add (local.get $f) (i32.const 1)))
          (br_if $lf (i32.lt_u (local.get $f) (local.get $F))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $lc (i32.lt_u (local.get $c) (local.get $C))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $li (i32.lt_u (local.get $i) (local.get $KT)))))

  ;; The gradient of maxPool1d: dx[n, t·P + p, c] = dy[n, t, c] where x[n, t·P + p, c] is its window's
  ;; first maximum (strict >, as maxPoolGradTiles and tfjs' cpu kernel), else 0; positions past OL·P
  ;; get 0. Every element of dx is written once, so dx needs no clearing first.
  (func (export "maxPool1dGrad")
    (param $x i32) (param $dy i32) (param $dx i32) (param $N i32) (param $L i32) (param $C i32)
    (param $OL i32) (param $P i32)
    (local $n i32) (local $t i32) (local $p i32) (local $j i32) (local $cb i32) (local $wb i32)
    (local $px i32) (local $pdx i32) (local $pdy i32) (local $pw i32) (local $tail i32) (local $q i32)
    (local $best v128) (local $idx v128) (local $v v128) (local $s v128) (local $g v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $wb (i32.mul (local.get $P) (local.get $cb)))
    (local.set $tail (i32.mul (i32.sub (local.get $L) (i32.mul (local.get $OL) (local.get $P))) (local.get $cb)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $px (i32.add (local.get $x) (i32.mul (i32.mul (local.get $n) (local.get $L)) (local.get $cb))))
      (local.set $pdx (i32.add (local.get $dx) (i32.mul (i32.mul (local.get $n) (local.get $L)) (local.get $cb))))
      (local.set $pdy (i32.add (local.get $dy) (i32.mul (i32.mul (local.get $n) (local.get $OL)) (local.get $cb))))
      (local.set $t (i32.const 0))
      (loop $lt
        (local.set $j (i32.const 0))
        (loop $lc
          (local.set $pw (i32.add (local.get $px) (local.get $j)))
          (local.set $best (v128.load (local.get $pw)))
          (local.set $idx (v128.const i32x4 0 0 0 0))
          (local.set $p (i32.const 1))
          (block $one (br_if $one (i32.ge_u (local.get $p) (local.get $P)))
            (loop $lp
              (local.set $pw (i32.add (local.get $pw) (local.get $cb)))
              (local.set $v (v128.load (local.get $pw)))
              (local.set $s (f32x4.gt (local.get $v) (local.get $best)))
              (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $s)))
              (local.set $idx (v128.bitselect (i32x4.splat (local.get $p)) (local.get $idx) (local.get $s)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $lp (i32.lt_u (local.get $p) (local.get $P)))))
          (local.set $g (v128.load (i32.add (local.get $pdy) (local.get $j))))
          (local.set $pw (i32.add (local.get $pdx) (local.get $j)))
          (local.set $p (i32.const 0))
          (loop $ls
            (v128.store (local.get $pw) (v128.and (local.get $g) (i32x4.eq (local.get $idx) (i32x4.splat (local.get $p)))))
            (local.set $pw (i32.add (local.get $pw) (local.get $cb)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $ls (i32.lt_u (local.get $p) (local.get $P))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
        (local.set $px (i32.add (local.get $px) (local.get $wb)))
        (local.set $pdx (i32.add (local.get $pdx) (local.get $wb)))
        (local.set $pdy (i32.add (local.get $pdy) (local.get $cb)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br_if $lt (i32.lt_u (local.get $t) (local.get $OL))))
      (local.set $q (i32.const 0))
      (block $done (loop $lz
        (br_if $done (i32.ge_u (local.get $q) (local.get $tail)))
        (v128.store (i32.add (local.get $pdx) (local.get $q)) (v128.const i32x4 0 0 0 0))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $lz)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $N)))))
)
