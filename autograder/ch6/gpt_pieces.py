"""Reference code for chapter 6: coursekit's GPT pieces, and the two the notebook writes its own way."""

from coursekit.capstone.gpt import attention_head, cross_entropy, linear, rmsnorm, softmax  # noqa: F401


def embed(wte, wpe, token, position):
    return [t + p for t, p in zip(wte[token], wpe[position])]


def adam_step(params, m, v, t, lr, beta1=0.85, beta2=0.99):
    for i, p in enumerate(params):
        m[i] = beta1 * m[i] + (1 - beta1) * p.grad
        v[i] = beta2 * v[i] + (1 - beta2) * p.grad ** 2
        m_hat = m[i] / (1 - beta1 ** t)
        v_hat = v[i] / (1 - beta2 ** t)
        p.data -= lr * m_hat / (v_hat ** 0.5 + 1e-8)
        p.grad = 0
