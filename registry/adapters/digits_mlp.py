from registry.adapters.base import StubAdapter


class DigitsMLPAdapter(StubAdapter):
    """A multi-layer perceptron that classifies small grey images such as the digits.

    It will resize each image to 8×8 grey, train scikit-learn's MLPClassifier with
    the package configuration (hidden_layer_sizes, learning_rate, epochs,
    batch_size, alpha, seed), log loss and accuracy per epoch, save the weights
    as an artifact and predict one class label with its confidence per item.
    """
