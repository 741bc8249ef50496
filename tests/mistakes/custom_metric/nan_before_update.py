"""Divides with `/`: before any update (and when every weight is zero) result() is 0/0 = NaN.

Rejected by: test_result_is_zero_before_any_update, test_all_zero_weights_give_zero_not_nan
"""


@keras.saving.register_keras_serializable(package="tfkata")
class SparseCategoricalAccuracy(SparseCategoricalAccuracy):
    def result(self):
        return self.hits / self.weight_total
