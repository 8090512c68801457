;; SIMD kernels of the fused convolution op on the WebAssembly backend (engine/kernels/fused-conv.ts):
;; the bias and activation after the convolution, and their gradient with the bias gradient, over
;; rows of F output channels (F a multiple of 4), reading and writing the backend's memory (imported)
;; in place. Pointers are byte offsets. Rebuild conv.wasm.ts after editing: npm run build:kernels
(module
  (import "env" "memory" (memory 0))

  ;; y[m, f] = act(y[m, f] + b[f]) in place for M rows of F; b = 0 means no bias, relu = 0 linear.
  (func (export "biasAct")
    (param $y i32) (param $b i32) (param $M i32) (param $F i32) (param $relu i32)
    (local $fb i32) (local $end i32) (local $j i32) (local $p i32) (local $v v128)
    (local.set $fb (i32.shl (local.get $F) (i32.const 2)))
    (local.set $p (local.get $y))
    (local.set $end (i32.add (local.get $y) (i32.mul (local.get $M) (local.get $fb))))
    (if (i32.ge_u (local.get $p) (local.get $end)) (then (return)))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (local.set $v (v128.load (i32.add (local.get $p) (local.get $j))))
        (if (local.get $b)
          (then (local.set $v (f32x4.add (local.get $v) (v128.load (i32.add (local.get $b) (local.get $j)))))))
        (if (local.get $relu)
          (then (local.set $v (f32x4.max (local.get $v) (v128.const i32x4 0 0 0 0)))))
        (v128.store (i32.add (local.get $p) (local.get $j)) (local.get $v))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $fb))))
      (local.set $p (i32.add (local.get $p) (local.get $fb)))
      (br_if $lm (i32.lt_u (local.get $p) (local.get $end)))))

  ;; The gradient through the activation and the bias: dz = dy · (y > 0) for relu (written to dz),
  ;; dz = dy when linear (dz is not written), and db[f] = Σ_m dz[m, f], summed in row order.
  (func (export "actGradBias")
    (param $dy i32) (param $y i32) (param $dz i32) (param $db i32) (param $M i32) (param $F i32)
    (param $relu i32)
    (local $fb i32) (local $off i32) (local $end i32) (local $j i32) (local $g v128)
    (local.set $fb (i32.shl (local.get $F) (i32.const 2)))
    (memory.fill (local.get $db) (i32.const 0) (local.get $fb))
    (local.set $off (i32.const 0))
    (local.set $end (i32.mul (local.get $M) (local.get $fb)))
    (if (i32.ge_u (local.get $off) (local.get $end)) (then (return)))
    (loop $lm
      (local.set $j (i32.const 0))
      (loop $lc
        (local.set $g (v128.load (i32.add (i32.add (local.get $dy) (local.get $off)) (local.get $j))))
        (if (local.get $relu)
          (then
            (local.set $g (v128.and (local.get $g)
              (f32x4.gt (v128.load (i32.add (i32.add (local.get $y) (local.get $off)) (local.get $j)))
                (v128.const i32x4 0 0 0 0))))
            (v128.store (i32.add (i32.add (local.get $dz) (local.get $off)) (local.get $j)) (local.get $g))))
        (v128.store (i32.add (local.get $db) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $db) (local.get $j))) (local.get $g)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $lc (i32.lt_u (local.get $j) (local.get $fb))))
      (local.set $off (i32.add (local.get $off) (local.get $fb)))
      (br_if $lm (i32.lt_u (local.get $off) (local.get $end)))))
)
