;; SIMD kernels for the fused Dense op on the WebAssembly backend (engine/kernels/fused-dense.ts): what
;; surrounds the layer's matrix products, the bias and the activation forward, their gradients
;; backward, each one pass over the [M, N] output, in place on the backend's memory (imported).
;; Pointers are byte offsets; rows are N floats; columns go 4 at a time, the last N mod 4 one at a
;; time. Rebuild dense.wasm.ts after editing: npm run build:kernels
(module
  (import "env" "memory" (memory 0))

  ;; y[m][n] = act(y[m][n] + b[n]) in place: b is added when hasBias, act is relu (max(·, 0), NaN
  ;; stays NaN as on the cpu backend) when relu, else the identity.
  (func (export "biasAct")
    (param $y i32) (param $b i32) (param $M i32) (param $N i32) (param $hasBias i32) (param $relu i32)
    (local $nb i32) (local $n4 i32) (local $end i32) (local $j i32) (local $v v128) (local $s f32)
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    (local.set $n4 (i32.and (local.get $nb) (i32.const -16)))
    (local.set $end (i32.add (local.get $y) (i32.mul (local.get $M) (local.get $nb))))
    (if (i32.ge_u (local.get $y) (local.get $end)) (then (return)))
    (loop $lm
      (local.set $j (i32.const 0))
      (block $done4
        (br_if $done4 (i32.eqz (local.get $n4)))
        (loop $l4
          (local.set $v (v128.load (i32.add (local.get $y) (local.get $j))))
          (if (local.get $hasBias)
            (then (local.set $v (f32x4.add (local.get $v) (v128.load (i32.add (local.get $b) (local.get $j)))))))
          (if (local.get $relu)
            (then (local.set $v (f32x4.max (local.get $v) (f32x4.splat (f32.const 0))))))
          (v128.store (i32.add (local.get $y) (local.get $j)) (local.get $v))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $l4 (i32.lt_u (local.get $j) (local.get $n4)))))
      (block $done1
        (br_if $done1 (i32.ge_u (local.get $j) (local.get $nb)))
        (loop $l1
          (local.set $s (f32.load (i32.add (local.get $y) (local.get $j))))
          (if (local.get $hasBias)
            (then (local.set $s (f32.add (local.get $s) (f32.load (i32.add (local.get $b) (local.get $j)))))))
          (if (local.get $relu)
            (then (local.set $s (f32.max (local.get $s) (f32.const 0)))))
          (f32.store (i32.add (local.get $y) (local.get $j)) (local.get $s))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br_if $l1 (i32.lt_u (local.get $j) (local.get $nb)))))
      (local.set $y (i32.add (local.get $y) (local.get $nb)))
      (br_if $lm (i32.lt_u (local.get $y) (local.get $end)))))

  ;; The gradient at the pre-activation, dz = dy where y > 0 else 0 (relu; written to dz), or dy
  ;; itself (linear; dz is not written), and when hasBias the bias gradient db[n] = Σ_m dz[m][n],
  ;; rows added in order as the cpu backend's Sum does.
  (func (export "actGrad")
    (param $dy i32) (param $y i32) (param $dz i32) (param $db i32) (param $M i32) (param $N i32)
    (param $relu i32) (param $hasBias i32)
    (local $nb i32) (local $n4 i32) (local $row i32) (local $rowsEnd i32) (local $j i32)
    (local $g v128) (local $s f32)
    (local.set $nb (i32.shl (local.get $N) (i32.const 2)))
    (local.set $n4 (i32.and (local.get $nb) (i32.const -16)))
    (if (local.get $hasBias) (then (memory.fill (local.get $db) (i32.const 0) (local.get $nb))))
    (local.set $rowsEnd (i32.mul (local.get $M) (local.get $nb)))
    (local.set $row (i32.const 0))
    (if (i32.ge_u (local.get $row) (local.get $rowsEnd)) (then (return)))
    (loop $lm
      (local.set $j (i32.const 0))
      (block $done4
        (br_if $done4 (i32.eqz (local.get $n4)))
        (loop $l4
          (local.set $g (v128.load (i32.add (i32.add (local.get $dy) (local.get $row)) (local.get $j))))
          (if (local.get $relu)
            (then
              (local.set $g (v128.and (local.get $g)
                (f32x4.gt (v128.load (i32.add (i32.add (local.get $y) (local.get $row)) (local.get $j)))
                  (f32x4.splat (f32.const 0)))))
              (v128.store (i32.add (i32.add (local.get $dz) (local.get $row)) (local.get $j)) (local.get $g))))
          (if (local.get $hasBias)
            (then (v128.store (i32.add (local.get $db) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $db) (local.get $j))) (local.get $g)))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $l4 (i32.lt_u (local.get $j) (local.get $n4)))))
      (block $done1
        (br_if $done1 (i32.ge_u (local.get $j) (local.get $nb)))
        (loop $l1
          (local.set $s (f32.load (i32.add (i32.add (local.get $dy) (local.get $row)) (local.get $j))))
          (if (local.get $relu)
            (then
              (if (i32.eqz (f32.gt (f32.load (i32.add (i32.add (local.get $y) (local.get $row)) (local.get $j)))
                    (f32.const 0)))
                (then (local.set $s (f32.const 0))))
              (f32.store (i32.add (i32.add (local.get $dz) (local.get $row)) (local.get $j)) (local.get $s))))
          (if (local.get $hasBias)
            (then (f32.store (i32.add (local.get $db) (local.get $j))
              (f32.add (f32.load (i32.add (local.get $db) (local.get $j))) (local.get $s)))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br_if $l1 (i32.lt_u (local.get $j) (local.get $nb)))))
      (local.set $row (i32.add (local.get $row) (local.get $nb)))
      (br_if $lm (i32.lt_u (local.get $row) (local.get $rowsEnd)))))
)
