import * as tf from '@tensorflow/tfjs';
/** Unit tests run on tfjs's CPU backend unless the compute layer gives us WASM. */
export async function useTestBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
