;; BatchNormalization followed by ReLU in training on the WebAssembly backend, as one op
;; (engine/kernels/fused-batch-norm.ts): the normalisation with the ReLU applied in the same pass, and
;; the gradient's two passes reading the ReLU's mask (y > 0) from the op's output instead of a Step and
;; a Multiply over the whole activation. Channels last, C a multiple of 4; pointers are byte offsets
;; into the backend's memory (imported). Every per-channel sum runs over the rows in order, as the
;; unmasked kernels in kernels.wat do.
;; Rebuild batchnorm.wasm.ts after editing: npm run build:kernels
(module
  (import "env" "memory" (memory 0))

  ;; out[m][c] = max(0, (x[m][c] − mean[c]) · s[c] + t[c]), the max as f32x4.pmax (a < 0 ? 0 : a, NaN
  ;; kept): one instruction on x64, where f32x4.max's NaN and signed-zero rules cost V8 several.
  (func (export "affineRowsRelu")
    (param $x i32) (param $mean i32) (param $s i32) (param $t i32) (param $out i32) (param $M i32) (param $C i32)
    (local $cb i32) (local $end i32) (local $j i32) (local $d i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $d (i32.sub (local.get $out) (local.get $x)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $M) (local.get $cb))))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (v128.store (i32.add (i32.add (local.get $x) (local.get $d)) (local.get $j))
          (f32x4.pmax
            (f32x4.add (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j)))
                                             (v128.load (i32.add (local.get $mean) (local.get $j))))
                                  (v128.load (i32.add (local.get $s) (local.get $j))))
                       (v128.load (i32.add (local.get $t) (local.get $j))))
            (v128.const f32x4 0 0 0 0)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
      (local.set $x (i32.add (local.get $x) (local.get $cb)))
      (br_if $lm (i32.lt_u (local.get $x) (local.get $end)))))

  ;; With g = dy where y > 0, else 0 (the ReLU's gradient): sdy[c] = Σ_m g[m][c] and
  ;; sdyx[c] = Σ_m g[m][c] · (x[m][c] − mean[c]).
  (func (export "bnReluGradSums")
    (param $dy i32) (param $y i32) (param $x i32) (param $mean i32) (param $sdy i32) (param $sdyx i32)
    (param $M i32) (param $C i32)
    (local $cb i32) (local $end i32) (local $j i32) (local $g v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (memory.fill (local.get $sdy) (i32.const 0) (local.get $cb))
    (memory.fill (local.get $sdyx) (i32.const 0) (local.get $cb))
    (local.set $end (i32.add (local.get $dy) (i32.mul (local.get $M) (local.get $cb))))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (local.set $g (v128.and (v128.load (i32.add (local.get $dy) (local.get $j)))
                                (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $j)))
                                          (v128.const f32x4 0 0 0 0))))
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
      (local.set $y (i32.add (local.get $y) (local.get $cb)))
      (local.set $x (i32.add (local.get $x) (local.get $cb)))
      (br_if $lm (i32.lt_u (local.get $dy) (local.get $end)))))

  ;; out[m][c] = a[c] · g[m][c] + b[c] · (x[m][c] − mean[c]) + k[c], g the masked dy as above.
  (func (export "bnReluGradInput")
    (param $dy i32) (param $y i32) (param $x i32) (param $mean i32) (param $a i32) (param $b i32) (param $k i32)
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
                                  (v128.and (v128.load (i32.add (local.get $dy) (local.get $j)))
                                            (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $j)))
                                                      (v128.const f32x4 0 0 0 0))))
                       (f32x4.mul (v128.load (i32.add (local.get $b) (local.get $j)))
                                  (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $j)))
                                             (v128.load (i32.add (local.get $mean) (local.get $j))))))
            (v128.load (i32.add (local.get $k) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $cb))))
      (local.set $dy (i32.add (local.get $dy) (local.get $cb)))
      (local.set $y (i32.add (local.get $y) (local.get $cb)))
      (local.set $x (i32.add (local.get $x) (local.get $cb)))
      (local.set $out (i32.add (local.get $out) (local.get $cb)))
      (br_if $lm (i32.lt_u (local.get $dy) (local.get $end)))))
)
