"""How the text around a final box is read: whether the completion commits to it (`remarks`, the answer section's
own doubts and competing values; `after_box`, what may follow it; `formulas`, the formula a box sits in) and the
vocabularies those rules read (`wording`, `wording_section`). `extract.final_answer` applies them."""
