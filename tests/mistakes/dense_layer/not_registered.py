"""Forgets @keras.saving.register_keras_serializable: the class has no registered name, so a
model saved to .keras cannot find it again when loaded (it finds another class, or none).

Rejected by: test_dense_saves_to_a_keras_file_and_loads_back
"""

_ReferenceDense = Dense


class Dense(_ReferenceDense):
    pass
