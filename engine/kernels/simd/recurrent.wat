;; SIMD kernels for one timestep of the fused LSTM and GRU on the WebAssembly backend
;; (engine/kernels/recurrent-wasm.ts): the gate nonlinearities, the cell update and their gradients
;; over a batch of rows, reading and writing the backend's memory (imported) in place. Every buffer is
;; one timestep, rows of U (state) or k·U (gates) floats; pointers are byte offsets. Columns go 4 at a
;; time; when U is not a multiple of 4 the last group is the last 4 columns again (U ≥ 4), so no kernel
;; reads what it writes. Rebuild recurrent.wasm.ts after editing: npm run build:kernels
(module
  (import "env" "memory" (memory 0))

  ;; e^x to float32 precision (Cephes' expf: x = n·ln2 + r, a degree-7 polynomial in r, then 2^n
  ;; from the exponent bits); x is clamped to where 2^n stays a normal float. n is rounded by adding
  ;; and subtracting 1.5·2^23, whose low mantissa bits then hold n: cheaper on x86 than nearest and
  ;; trunc_sat, as pmin/pmax are cheaper than min/max (no NaN fix-ups; x is never NaN here).
  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $m v128)
    (local.set $x (f32x4.pmin (f32x4.pmax (local.get $x) (f32x4.splat (f32.const -87.3))) (f32x4.splat (f32.const 88.3))))
    (local.set $m (f32x4.add (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504088896341)))
      (f32x4.splat (f32.const 12582912))))
    (local.set $n (f32x4.sub (local.get $m) (f32x4.splat (f32.const 12582912))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
      (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $p (f32x4.add
      (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r))
      (f32x4.splat (f32.const 1))))
    ;; bits(m) − bits(1.5·2^23) = n; 2^n has exponent field n + 127.
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.sub (local.get $m) (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000))
        (i32x4.splat (i32.const 127))) (i32.const 23))))

  ;; The recurrent activation: sigmoid 1/(1 + e^−z), or hard sigmoid clamp(0.2·z + 0.5, 0, 1).
  (func $act (param $z v128) (param $hard i32) (result v128)
    (if (result v128) (local.get $hard)
      (then (f32x4.pmin (f32x4.splat (f32.const 1)) (f32x4.pmax (f32x4.splat (f32.const 0))
        (f32x4.add (f32x4.mul (local.get $z) (f32x4.splat (f32.const 0.2))) (f32x4.splat (f32.const 0.5))))))
      (else (f32x4.div (f32x4.splat (f32.const 1))
        (f32x4.add (f32x4.splat (f32.const 1)) (call $exp (f32x4.neg (local.get $z))))))))

  ;; Its derivative from its output y: y·(1 − y), or 0.2 where 0 < y < 1 for the hard sigmoid.
  (func $dact (param $y v128) (param $hard i32) (result v128)
    (if (result v128) (local.get $hard)
      (then (v128.and (f32x4.splat (f32.const 0.2))
        (v128.and (f32x4.gt (local.get $y) (f32x4.splat (f32.const 0))) (f32x4.lt (local.get $y) (f32x4.splat (f32.const 1))))))
      (else (f32x4.mul (local.get $y) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $y))))))

  ;; tanh z = 2/(1 + e^−2z) − 1 (absolute error ~1e-7, as the JavaScript path computes it).
  (func $tanh (param $z v128) (result v128)
    (f32x4.sub
      (f32x4.div (f32x4.splat (f32.const 2))
        (f32x4.add (f32x4.splat (f32.const 1)) (call $exp (f32x4.mul (local.get $z) (f32x4.splat (f32.const -2))))))
      (f32x4.splat (f32.const 1))))

  ;; 1 − y² (tanh' from tanh's output).
  (func $dtanh (param $y v128) (result v128)
    (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $y) (local.get $y))))

  ;; The byte offset of column group j (of 4) in a row of U floats: 4j, or U − 4 for the last group.
  (func $col (param $j i32) (param $U i32) (result i32)
    (i32.shl (select (local.get $j) (i32.sub (local.get $U) (i32.const 4))
      (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $U))) (i32.const 2)))

  ;; LSTM forward, one timestep: z = xp + hr + b (rows of 4U: i, f, g, o), the gates i, f, o = act(z),
  ;; g = tanh(z), c = f·cPrev + i·g, h = o·tanh(c). Writes the gates (rows of 4U), c, tanh c and h.
  (func (export "lstmForward")
    (param $xp i32) (param $hr i32) (param $b i32) (param $cPrev i32) (param $gates i32) (param $c i32)
    (param $tc i32) (param $h i32) (param $B i32) (param $U i32) (param $hard i32)
    (local $n i32) (local $j i32) (local $o i32) (local $q i32) (local $ub i32) (local $gRow i32) (local $uRow i32)
    (local $i v128) (local $f v128) (local $g v128) (local $og v128) (local $cv v128) (local $t v128)
    (local.set $ub (i32.shl (local.get $U) (i32.const 2)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $gRow (i32.mul (local.get $n) (i32.shl (local.get $ub) (i32.const 2))))
      (local.set $uRow (i32.mul (local.get $n) (local.get $ub)))
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $o (call $col (local.get $j) (local.get $U)))
        (local.set $q (i32.add (local.get $gRow) (local.get $o)))
        (local.set $i (call $act (f32x4.add (f32x4.add (v128.load (i32.add (local.get $xp) (local.get $q)))
          (v128.load (i32.add (local.get $hr) (local.get $q)))) (v128.load (i32.add (local.get $b) (local.get $o)))) (local.get $hard)))
        (local.set $q (i32.add (local.get $q) (local.get $ub)))
        (local.set $f (call $act (f32x4.add (f32x4.add (v128.load (i32.add (local.get $xp) (local.get $q)))
          (v128.load (i32.add (local.get $hr) (local.get $q))))
          (v128.load (i32.add (i32.add (local.get $b) (local.get $ub)) (local.get $o)))) (local.get $hard)))
        (local.set $q (i32.add (local.get $q) (local.get $ub)))
        (local.set $g (call $tanh (f32x4.add (f32x4.add (v128.load (i32.add (local.get $xp) (local.get $q)))
          (v128.load (i32.add (local.get $hr) (local.get $q))))
          (v128.load (i32.add (i32.add (local.get $b) (i32.shl (local.get $ub) (i32.const 1))) (local.get $o))))))
        (local.set $q (i32.add (local.get $q) (local.get $ub)))
        (local.set $og (call $act (f32x4.add (f32x4.add (v128.load (i32.add (local.get $xp) (local.get $q)))
          (v128.load (i32.add (local.get $hr) (local.get $q))))
          (v128.load (i32.add (i32.add (local.get $b) (i32.mul (local.get $ub) (i32.const 3))) (local.get $o)))) (local.get $hard)))
        (local.set $q (i32.add (local.get $gRow) (local.get $o)))
        (v128.store (i32.add (local.get $gates) (local.get $q)) (local.get $i))
        (local.set $q (i32.add (local.get $q) (local.get $ub)))
        (v128.store (i32.add (local.get $gates) (local.get $q)) (local.get $f))
        (local.set $q (i32.add (local.get $q) (local.get $ub)))
        (v128.store (i32.add (local.get $gates) (local.get $q)) (local.get $g))
        (local.set $q (i32.add (local.get $q) (local.get $ub)))
        (v128.store (i32.add (local.get $gates) (local.get $q)) (local.get $og))
        (local.set $q (i32.add (local.get $uRow) (local.get $o)))
        (local.set $cv (f32x4.add (f32x4.mul (local.get $f) (v128.load (i32.add (local.get $cPrev) (local.get $q))))
          (f32x4.mul (local.get $i) (local.get $g))))
        (local.set $t (call $tanh (local.get $cv)))
        (v128.store (i32.add (local.get $c) (local.get $q)) (local.get $cv))
        (v128.store (i32.add (local.get $tc) (local.get $q)) (local.get $t))
        (v128.store (i32.add (local.get $h) (local.get $q)) (f32x4.mul (local.get $og) (local.get $t)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $lj (i32.lt_u (local.get $j) (local.get $U))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $B)))))

  ;; LSTM backward, one timestep. dL/dh = dhRec + dy; dc = dcIn + dL/dh·o·(1 − tanh²c); writes the
  ;; pre-activation gradients dz (rows of 4U: i, f, g, o) and dcOut = dc·f for the step before.
  (func (export "lstmBackward")
    (param $dhRec i32) (param $dy i32) (param $dcIn i32) (param $gates i32) (param $cPrev i32) (param $tc i32)
    (param $dz i32) (param $dcOut i32) (param $B i32) (param $U i32) (param $hard i32)
    (local $n i32) (local $j i32) (local $o i32) (local $q i32) (local $p i32) (local $ub i32) (local $gRow i32)
    (local $i v128) (local $f v128) (local $g v128) (local $og v128) (local $t v128) (local $dh v128) (local $dc v128)
    (local.set $ub (i32.shl (local.get $U) (i32.const 2)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $gRow (i32.mul (local.get $n) (i32.shl (local.get $ub) (i32.const 2))))
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $o (call $col (local.get $j) (local.get $U)))
        (local.set $p (i32.add (i32.mul (local.get $n) (local.get $ub)) (local.get $o)))
        (local.set $q (i32.add (i32.add (local.get $gates) (local.get $gRow)) (local.get $o)))
        (local.set $i (v128.load (local.get $q)))
        (local.set $f (v128.load (i32.add (local.get $q) (local.get $ub))))
        (local.set $g (v128.load (i32.add (local.get $q) (i32.shl (local.get $ub) (i32.const 1)))))
        (local.set $og (v128.load (i32.add (local.get $q) (i32.mul (local.get $ub) (i32.const 3)))))
        (local.set $t (v128.load (i32.add (local.get $tc) (local.get $p))))
        (local.set $dh (f32x4.add (v128.load (i32.add (local.get $dhRec) (local.get $p)))
          (v128.load (i32.add (local.get $dy) (local.get $p)))))
        (local.set $dc (f32x4.add (v128.load (i32.add (local.get $dcIn) (local.get $p)))
          (f32x4.mul (f32x4.mul (local.get $dh) (local.get $og)) (call $dtanh (local.get $t)))))
        (v128.store (i32.add (local.get $dcOut) (local.get $p)) (f32x4.mul (local.get $dc) (local.get $f)))
        (local.set $q (i32.add (i32.add (local.get $dz) (local.get $gRow)) (local.get $o)))
        (v128.store (local.get $q)
          (f32x4.mul (f32x4.mul (local.get $dc) (local.get $g)) (call $dact (local.get $i) (local.get $hard))))
        (v128.store (i32.add (local.get $q) (local.get $ub))
          (f32x4.mul (f32x4.mul (local.get $dc) (v128.load (i32.add (local.get $cPrev) (local.get $p))))
            (call $dact (local.get $f) (local.get $hard))))
        (v128.store (i32.add (local.get $q) (i32.shl (local.get $ub) (i32.const 1)))
          (f32x4.mul (f32x4.mul (local.get $dc) (local.get $i)) (call $dtanh (local.get $g))))
        (v128.store (i32.add (local.get $q) (i32.mul (local.get $ub) (i32.const 3)))
          (f32x4.mul (f32x4.mul (local.get $dh) (local.get $t)) (call $dact (local.get $og) (local.get $hard))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $lj (i32.lt_u (local.get $j) (local.get $U))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $B)))))

  ;; GRU forward (tfjs' reset_after = false), first half of a timestep: z, r = act(xp + hr + b) from
  ;; rows of 3U (xp, b) and 2U (hr); writes them into the gate rows (3U: z, r, h̃) and r·h into rh.
  (func (export "gruZR")
    (param $xp i32) (param $hr i32) (param $b i32) (param $h i32) (param $gates i32) (param $rh i32)
    (param $B i32) (param $U i32) (param $hard i32)
    (local $n i32) (local $j i32) (local $o i32) (local $q i32) (local $p i32) (local $s i32) (local $ub i32)
    (local $r v128)
    (local.set $ub (i32.shl (local.get $U) (i32.const 2)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $o (call $col (local.get $j) (local.get $U)))
        (local.set $q (i32.add (i32.mul (local.get $n) (i32.mul (local.get $ub) (i32.const 3))) (local.get $o)))
        (local.set $s (i32.add (i32.mul (local.get $n) (i32.shl (local.get $ub) (i32.const 1))) (local.get $o)))
        (local.set $p (i32.add (i32.mul (local.get $n) (local.get $ub)) (local.get $o)))
        (v128.store (i32.add (local.get $gates) (local.get $q))
          (call $act (f32x4.add (f32x4.add (v128.load (i32.add (local.get $xp) (local.get $q)))
            (v128.load (i32.add (local.get $hr) (local.get $s)))) (v128.load (i32.add (local.get $b) (local.get $o))))
            (local.get $hard)))
        (local.set $q (i32.add (local.get $q) (local.get $ub)))
        (local.set $s (i32.add (local.get $s) (local.get $ub)))
        (local.set $r (call $act (f32x4.add (f32x4.add (v128.load (i32.add (local.get $xp) (local.get $q)))
          (v128.load (i32.add (local.get $hr) (local.get $s))))
          (v128.load (i32.add (i32.add (local.get $b) (local.get $ub)) (local.get $o)))) (local.get $hard)))
        (v128.store (i32.add (local.get $gates) (local.get $q)) (local.get $r))
        (v128.store (i32.add (local.get $rh) (local.get $p))
          (f32x4.mul (local.get $r) (v128.load (i32.add (local.get $h) (local.get $p)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $lj (i32.lt_u (local.get $j) (local.get $U))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $B)))))

  ;; GRU forward, second half: h̃ = tanh(xp_h + rr + b_h) with rr = (r·h)·U_h, h' = z·h + (1 − z)·h̃.
  ;; Writes h̃ into the gate rows and h' into hOut.
  (func (export "gruH")
    (param $xp i32) (param $rr i32) (param $b i32) (param $h i32) (param $gates i32) (param $hOut i32)
    (param $B i32) (param $U i32)
    (local $n i32) (local $j i32) (local $o i32) (local $q i32) (local $p i32) (local $ub i32)
    (local $hh v128) (local $z v128)
    (local.set $ub (i32.shl (local.get $U) (i32.const 2)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $o (call $col (local.get $j) (local.get $U)))
        (local.set $q (i32.add (i32.mul (local.get $n) (i32.mul (local.get $ub) (i32.const 3))) (local.get $o)))
        (local.set $p (i32.add (i32.mul (local.get $n) (local.get $ub)) (local.get $o)))
        (local.set $z (v128.load (i32.add (local.get $gates) (local.get $q))))
        (local.set $q (i32.add (local.get $q) (i32.shl (local.get $ub) (i32.const 1))))
        (local.set $hh (call $tanh (f32x4.add (f32x4.add (v128.load (i32.add (local.get $xp) (local.get $q)))
          (v128.load (i32.add (local.get $rr) (local.get $p))))
          (v128.load (i32.add (i32.add (local.get $b) (i32.shl (local.get $ub) (i32.const 1))) (local.get $o))))))
        (v128.store (i32.add (local.get $gates) (local.get $q)) (local.get $hh))
        (v128.store (i32.add (local.get $hOut) (local.get $p))
          (f32x4.add (f32x4.mul (local.get $z) (v128.load (i32.add (local.get $h) (local.get $p))))
            (f32x4.mul (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $z)) (local.get $hh))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $lj (i32.lt_u (local.get $j) (local.get $U))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $B)))))

  ;; GRU backward, first half of a timestep. dL/dh = carry + back + dy; the candidate's pre-activation
  ;; gradient da = dL/dh·(1 − z)·(1 − h̃²) and z's dz = dL/dh·(hPrev − h̃)·act'(z) go into dz (rows of
  ;; 3U), da into dah (rows of U), dz into dzr (rows of 2U, first half); carryOut = dL/dh·z.
  (func (export "gruBackZH")
    (param $carry i32) (param $back i32) (param $dy i32) (param $gates i32) (param $hPrev i32) (param $dz i32)
    (param $dzr i32) (param $dah i32) (param $carryOut i32) (param $B i32) (param $U i32) (param $hard i32)
    (local $n i32) (local $j i32) (local $o i32) (local $q i32) (local $p i32) (local $ub i32)
    (local $dh v128) (local $z v128) (local $hh v128) (local $da v128) (local $dzz v128)
    (local.set $ub (i32.shl (local.get $U) (i32.const 2)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $o (call $col (local.get $j) (local.get $U)))
        (local.set $q (i32.add (i32.mul (local.get $n) (i32.mul (local.get $ub) (i32.const 3))) (local.get $o)))
        (local.set $p (i32.add (i32.mul (local.get $n) (local.get $ub)) (local.get $o)))
        (local.set $dh (f32x4.add (f32x4.add (v128.load (i32.add (local.get $carry) (local.get $p)))
          (v128.load (i32.add (local.get $back) (local.get $p)))) (v128.load (i32.add (local.get $dy) (local.get $p)))))
        (local.set $z (v128.load (i32.add (local.get $gates) (local.get $q))))
        (local.set $hh (v128.load (i32.add (i32.add (local.get $gates) (local.get $q)) (i32.shl (local.get $ub) (i32.const 1)))))
        (local.set $da (f32x4.mul (f32x4.mul (local.get $dh) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $z)))
          (call $dtanh (local.get $hh))))
        (local.set $dzz (f32x4.mul (f32x4.mul (local.get $dh)
          (f32x4.sub (v128.load (i32.add (local.get $hPrev) (local.get $p))) (local.get $hh)))
          (call $dact (local.get $z) (local.get $hard))))
        (v128.store (i32.add (local.get $dz) (local.get $q)) (local.get $dzz))
        (v128.store (i32.add (i32.add (local.get $dz) (local.get $q)) (i32.shl (local.get $ub) (i32.const 1))) (local.get $da))
        (v128.store (i32.add (local.get $dah) (local.get $p)) (local.get $da))
        (v128.store (i32.add (local.get $dzr) (i32.add (i32.mul (local.get $n) (i32.shl (local.get $ub) (i32.const 1))) (local.get $o)))
          (local.get $dzz))
        (v128.store (i32.add (local.get $carryOut) (local.get $p)) (f32x4.mul (local.get $dh) (local.get $z)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $lj (i32.lt_u (local.get $j) (local.get $U))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $B)))))

  ;; GRU backward, second half: from drh = dah·U_hᵀ = dL/d(r·hPrev), r's pre-activation gradient
  ;; drh·hPrev·act'(r) into dz (rows of 3U) and dzr (rows of 2U, second half); carryOut = carry + drh·r.
  (func (export "gruBackR")
    (param $drh i32) (param $gates i32) (param $hPrev i32) (param $dz i32) (param $dzr i32) (param $carry i32)
    (param $carryOut i32) (param $B i32) (param $U i32) (param $hard i32)
    (local $n i32) (local $j i32) (local $o i32) (local $q i32) (local $p i32) (local $ub i32)
    (local $d v128) (local $r v128) (local $dr v128)
    (local.set $ub (i32.shl (local.get $U) (i32.const 2)))
    (local.set $n (i32.const 0))
    (loop $ln
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $o (call $col (local.get $j) (local.get $U)))
        (local.set $q (i32.add (i32.add (i32.mul (local.get $n) (i32.mul (local.get $ub) (i32.const 3))) (local.get $o))
          (local.get $ub)))
        (local.set $p (i32.add (i32.mul (local.get $n) (local.get $ub)) (local.get $o)))
        (local.set $d (v128.load (i32.add (local.get $drh) (local.get $p))))
        (local.set $r (v128.load (i32.add (local.get $gates) (local.get $q))))
        (local.set $dr (f32x4.mul (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $hPrev) (local.get $p))))
          (call $dact (local.get $r) (local.get $hard))))
        (v128.store (i32.add (local.get $dz) (local.get $q)) (local.get $dr))
        (v128.store (i32.add (local.get $dzr)
          (i32.add (i32.add (i32.mul (local.get $n) (i32.shl (local.get $ub) (i32.const 1))) (local.get $o)) (local.get $ub)))
          (local.get $dr))
        (v128.store (i32.add (local.get $carryOut) (local.get $p))
          (f32x4.add (v128.load (i32.add (local.get $carry) (local.get $p))) (f32x4.mul (local.get $d) (local.get $r))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br_if $lj (i32.lt_u (local.get $j) (local.get $U))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $ln (i32.lt_u (local.get $n) (local.get $B)))))

  ;; c + a·b lane by lane: matAdd's multiply-add. scripts/assemble-wat.mts also builds the module
  ;; with this body as f32x4.relaxed_madd (one fused instruction where the engine has FMA), which
  ;; engine/kernels/simd/module.ts picks where the engine validates it.
  (func $madd (param $a v128) (param $b v128) (param $c v128) (result v128)
    (f32x4.add (local.get $c) (f32x4.mul (local.get $a) (local.get $b))))

  ;; base[o] as a vector, or zeros when base is 0 (matAdd).
  (func $baseAt (param $base i32) (param $o i32) (result v128)
    (if (result v128) (local.get $base)
      (then (v128.load (i32.add (local.get $base) (local.get $o))))
      (else (v128.const i32x4 0 0 0 0))))

  ;; out = base + A·w for A [M, K], w [K, N], base and out [M, N] (N ≥ 4; out is neither A, w nor
  ;; base; base = 0 reads as zeros). A's element (i, r) is at a + i·rs + r·cs bytes, so A can be a
  ;; row-major [M, K] (rs = 4K, cs = 4) or the transpose of a row-major [K, M] (rs = 4, cs = 4M):
  ;; a timestep's recurrent product, and the weight gradients Σ_t h_tᵀ·dz_t over a whole sequence,
  ;; without a transposed copy. The per-step products are small (a batch of rows times a K of
  ;; 32–128), where the call into the backend's matmul costs as much as the arithmetic. Columns go 16
  ;; at a time for two rows at once (eight accumulators; each load of w serves both rows), the odd
  ;; last row alone; then the columns past the last 16 go 4 at a time, the last group overlapping
  ;; when N is not a multiple of 4. Every output sums over r in order.
  (func (export "matAdd")
    (param $a i32) (param $w i32) (param $base i32) (param $out i32) (param $M i32) (param $K i32) (param $N i32)
    (param $rs i32) (param $cs i32)
    (local $m i32) (local $j i32) (local $o i32) (local $pa i32) (local $paEnd i32) (local $pw i32) (local $nb i32)
    (local $kb i32) (local $n16 i32) (local $mPairs i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $acc4 v128) (local $acc5 v128) (local $acc6 v128) (local $acc7 v128)
    (local $s v128) (local $t v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    (local.set $kb (i32.mul (local.get $K) (local.get $cs)))
    (local.set $n16 (i32.and (local.get $N) (i32.const -16)))
    (local.set $mPairs (i32.and (local.get $M) (i32.const -2)))
    ;; Rows in pairs, 16 columns at a time.
    (local.set $m (i32.const 0))
    (block $pairsDone
      (br_if $pairsDone (i32.or (i32.eqz (local.get $mPairs)) (i32.eqz (local.get $n16))))
      (loop $lm
        (local.set $j (i32.const 0))
        (loop $lj
          (local.set $o (i32.add (i32.mul (local.get $m) (local.get $nb)) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $m) (local.get $rs))))
          (local.set $paEnd (i32.add (local.get $pa) (local.get $kb)))
          (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $acc0 (call $baseAt (local.get $base) (local.get $o)))
          (local.set $acc1 (call $baseAt (local.get $base) (i32.add (local.get $o) (i32.const 16))))
          (local.set $acc2 (call $baseAt (local.get $base) (i32.add (local.get $o) (i32.const 32))))
          (local.set $acc3 (call $baseAt (local.get $base) (i32.add (local.get $o) (i32.const 48))))
          (local.set $acc4 (call $baseAt (local.get $base) (i32.add (local.get $o) (local.get $nb))))
          (local.set $acc5 (call $baseAt (local.get $base) (i32.add (i32.add (local.get $o) (local.get $nb)) (i32.const 16))))
          (local.set $acc6 (call $baseAt (local.get $base) (i32.add (i32.add (local.get $o) (local.get $nb)) (i32.const 32))))
          (local.set $acc7 (call $baseAt (local.get $base) (i32.add (i32.add (local.get $o) (local.get $nb)) (i32.const 48))))
          (loop $lk
            (local.set $s (v128.load32_splat (local.get $pa)))
            (local.set $t (v128.load32_splat (i32.add (local.get $pa) (local.get $rs))))
            (local.set $w0 (v128.load (local.get $pw)))
            (local.set $w1 (v128.load offset=16 (local.get $pw)))
            (local.set $w2 (v128.load offset=32 (local.get $pw)))
            (local.set $w3 (v128.load offset=48 (local.get $pw)))
            (local.set $acc0 (call $madd (local.get $s) (local.get $w0) (local.get $acc0)))
            (local.set $acc1 (call $madd (local.get $s) (local.get $w1) (local.get $acc1)))
            (local.set $acc2 (call $madd (local.get $s) (local.get $w2) (local.get $acc2)))
            (local.set $acc3 (call $madd (local.get $s) (local.get $w3) (local.get $acc3)))
            (local.set $acc4 (call $madd (local.get $t) (local.get $w0) (local.get $acc4)))
            (local.set $acc5 (call $madd (local.get $t) (local.get $w1) (local.get $acc5)))
            (local.set $acc6 (call $madd (local.get $t) (local.get $w2) (local.get $acc6)))
            (local.set $acc7 (call $madd (local.get $t) (local.get $w3) (local.get $acc7)))
            (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
            (local.set $pw (i32.add (local.get $pw) (local.get $nb)))
            (br_if $lk (i32.lt_u (local.get $pa) (local.get $paEnd))))
          (v128.store (i32.add (local.get $out) (local.get $o)) (local.get $acc0))
          (v128.store offset=16 (i32.add (local.get $out) (local.get $o)) (local.get $acc1))
          (v128.store offset=32 (i32.add (local.get $out) (local.get $o)) (local.get $acc2))
          (v128.store offset=48 (i32.add (local.get $out) (local.get $o)) (local.get $acc3))
          (v128.store (i32.add (i32.add (local.get $out) (local.get $o)) (local.get $nb)) (local.get $acc4))
          (v128.store offset=16 (i32.add (i32.add (local.get $out) (local.get $o)) (local.get $nb)) (local.get $acc5))
          (v128.store offset=32 (i32.add (i32.add (local.get $out) (local.get $o)) (local.get $nb)) (local.get $acc6))
          (v128.store offset=48 (i32.add (i32.add (local.get $out) (local.get $o)) (local.get $nb)) (local.get $acc7))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $lj (i32.lt_u (local.get $j) (local.get $n16))))
        (local.set $m (i32.add (local.get $m) (i32.const 2)))
        (br_if $lm (i32.lt_u (local.get $m) (local.get $mPairs)))))
    ;; The odd last row, 16 columns at a time.
    (if (i32.and (i32.lt_u (local.get $mPairs) (local.get $M)) (i32.ne (local.get $n16) (i32.const 0)))
      (then
        (local.set $j (i32.const 0))
        (loop $lj1
          (local.set $o (i32.add (i32.mul (local.get $mPairs) (local.get $nb)) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $mPairs) (local.get $rs))))
          (local.set $paEnd (i32.add (local.get $pa) (local.get $kb)))
          (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $acc0 (call $baseAt (local.get $base) (local.get $o)))
          (local.set $acc1 (call $baseAt (local.get $base) (i32.add (local.get $o) (i32.const 16))))
          (local.set $acc2 (call $baseAt (local.get $base) (i32.add (local.get $o) (i32.const 32))))
          (local.set $acc3 (call $baseAt (local.get $base) (i32.add (local.get $o) (i32.const 48))))
          (loop $lk1
            (local.set $s (v128.load32_splat (local.get $pa)))
            (local.set $acc0 (call $madd (local.get $s) (v128.load (local.get $pw)) (local.get $acc0)))
            (local.set $acc1 (call $madd (local.get $s) (v128.load offset=16 (local.get $pw)) (local.get $acc1)))
            (local.set $acc2 (call $madd (local.get $s) (v128.load offset=32 (local.get $pw)) (local.get $acc2)))
            (local.set $acc3 (call $madd (local.get $s) (v128.load offset=48 (local.get $pw)) (local.get $acc3)))
            (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
            (local.set $pw (i32.add (local.get $pw) (local.get $nb)))
            (br_if $lk1 (i32.lt_u (local.get $pa) (local.get $paEnd))))
          (v128.store (i32.add (local.get $out) (local.get $o)) (local.get $acc0))
          (v128.store offset=16 (i32.add (local.get $out) (local.get $o)) (local.get $acc1))
          (v128.store offset=32 (i32.add (local.get $out) (local.get $o)) (local.get $acc2))
          (v128.store offset=48 (i32.add (local.get $out) (local.get $o)) (local.get $acc3))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $lj1 (i32.lt_u (local.get $j) (local.get $n16))))))
    ;; Every row, the columns past the last 16, 4 at a time.
    (if (i32.lt_u (local.get $n16) (local.get $N))
      (then
        (local.set $m (i32.const 0))
        (loop $lm4
          (local.set $j (local.get $n16))
          (loop $lj4
            (local.set $o (i32.add (i32.mul (local.get $m) (local.get $nb)) (call $col (local.get $j) (local.get $N))))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $m) (local.get $rs))))
            (local.set $paEnd (i32.add (local.get $pa) (local.get $kb)))
            (local.set $pw (i32.add (local.get $w) (call $col (local.get $j) (local.get $N))))
            (local.set $acc0 (call $baseAt (local.get $base) (local.get $o)))
            (loop $lk4
              (local.set $acc0 (call $madd (v128.load32_splat (local.get $pa)) (v128.load (local.get $pw)) (local.get $acc0)))
              (local.set $pa (i32.add (local.get $pa) (local.get $cs)))
              (local.set $pw (i32.add (local.get $pw) (local.get $nb)))
              (br_if $lk4 (i32.lt_u (local.get $pa) (local.get $paEnd))))
            (v128.store (i32.add (local.get $out) (local.get $o)) (local.get $acc0))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br_if $lj4 (i32.lt_u (local.get $j) (local.get $N))))
          (local.set $m (i32.add (local.get $m) (i32.const 1)))
          (br_if $lm4 (i32.lt_u (local.get $m) (local.get $M)))))))
)
