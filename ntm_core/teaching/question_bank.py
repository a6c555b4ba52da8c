"""The multiple-choice questions of the notebooks: choices, answer, a hint per wrong choice.

They live here, not in the notebooks, so that the cell a student answers in
does not show the answer (nor, by the one choice without a hint, give it
away). :func:`~ntm_core.teaching.questions.show_choices` prints a question's
choices and :func:`~ntm_core.teaching.questions.check_question` checks an
answer. Each hint says what a wrong choice overlooks, never which choice is
right; tests/test_teaching_questions.py holds every entry to that.
Every notebook's multiple-choice questions are here, except one whose right
answer depends on what a model did (Exercise 6.3, checked in its notebook).
"""

QUESTIONS = {
    "Exercise 1.2": {
        "choices": {"a": "content addressing", "b": "interpolation", "c": "convolutional shift",
                    "d": "sharpening"},
        "answer": "c",
        "hints": {
            "a": "content addressing finds a slot by what it holds. While writing, the next slot holds "
                 "nothing useful yet: what could the key be?",
            "b": "the gate only chooses between the content weighting and last step's weighting; on its own "
                 "it never moves the focus to a new slot.",
            "d": "sharpening makes a blurred focus crisp again, but keeps its peak where it is.",
        },
        "explanation": "The shift moves the focus by −1, 0 or +1 slots (eq. 8): with the gate at 0 a head "
                       "ignores content and steps through memory, as in section 1's picture. Notebook 03 "
                       "makes a head do it.",
    },
    "Exercise 2.5": {
        "choices": {"a": "the average of all the rows", "b": "the sum of all the rows",
                    "c": "row 0, the first slot", "d": "a vector of zeros"},
        "answer": "a",
        "hints": {
            "b": "the weights sum to 1 (eq. 1): each row is multiplied by its weight, 1/N, not by 1.",
            "c": "eq. 2 sums over every slot; a single row comes out only when all the weight is on it.",
            "d": "only an all-zero weighting would read zeros, and eq. 1 does not allow one: every row "
                 "here has the same, non-zero weight.",
        },
        "explanation": "Σᵢ (1/N) M(i) is the mean of the rows: a uniform read blends every slot equally, "
                       "which is why an untrained head, close to uniform, reads a blur.",
    },
    "Exercise 2.6": {
        "choices": {"a": "the order does not matter: erasing and adding commute",
                    "b": "gradients could not flow through an erase that comes after an add",
                    "c": "so that a sharp write with e = 1 leaves exactly a in the slot",
                    "d": "so that the weighting still sums to 1 after the write"},
        "answer": "c",
        "hints": {
            "a": "try one number x with w = 1, e = 1: x(1 − 1) + a against (x + a)(1 − 1).",
            "b": "both orders are products and sums, and both have gradients; the difference is in the "
                 "values they leave in memory.",
            "d": "a write changes the memory, not the weighting: w sums to 1 whatever the order.",
        },
        "explanation": "Erase then add: M(1 − w e) + w a. Added first, the erase would remove part of what "
                       "was just written: with w = 1 and e = 1 the slot would end up empty.",
    },
    "Exercise 3.7": {
        "choices": {"a": "sharpen it: the largest weight grows",
                    "b": "blur it: the weights move towards uniform",
                    "c": "leave it unchanged: the normalisation undoes the power",
                    "d": "invert it: the smallest weight becomes the largest"},
        "answer": "b",
        "hints": {
            "a": "a power above 1 does that. Below 1, compare how much 0.8 ** 0.5 and 0.2 ** 0.5 grow, "
                 "relative to each other.",
            "c": "only γ = 1 changes nothing; the normalisation rescales all weights by the same factor, "
                 "but the power changed their ratios.",
            "d": "w ** γ keeps the order of the weights for every γ > 0; only a negative γ would invert it.",
        },
        "explanation": "A power below 1 raises small weights relatively more than large ones (w(i)^γ ratios "
                       "shrink), which blurs: that is why the controller's γ is 1 + softplus, never below 1.",
    },
    "Exercise 4.3": {
        "choices": {"a": "about twice as many: the memory it works with is twice as large",
                    "b": "none",
                    "c": "N more per controller unit, one for each new slot",
                    "d": "N × M more: one per new memory number"},
        "answer": "b",
        "hints": {
            "a": "more memory does cost parameters somewhere, but ask what the controller's input is made "
                 "of: x_t and the read vectors r_{t-1}. How long is a read vector when the memory has more "
                 "slots?",
            "c": "that would need the controller to see every slot. Which vectors does it actually receive, "
                 "and how long are they?",
            "d": "a learned initial memory does grow with N × M, but that is the start state, not the "
                 "controller. Look at the controller's input: x_t and r_{t-1}.",
        },
        "explanation": "The controller only meets the memory through read vectors of M numbers (eq. 2 sums "
                       "over the slots) and addresses it through a key of M numbers and a shift of 2R + 1; "
                       "nothing it sees or emits has N entries. That is why a trained NTM can be given a "
                       "larger memory without retraining.",
    },
    "Exercise 5.1": {
        "choices": {
            "a": "The network cannot produce outputs while its input is still arriving.",
            "b": "Masked steps are not computed, so training runs faster.",
            "c": "Scored input steps would let the network cheat by echoing its input.",
            "d": "The task is the recall; scoring the input phase's all-zero targets would reward a trivial "
                 "skill and mix it into the cost of the copy.",
        },
        "answer": "d",
        "hints": {
            "a": "the model gives an output at every step (look at the output row of the plot at the end of "
                 "the notebook); the mask only decides which outputs the loss looks at.",
            "b": "the recurrent loop still runs through every step, masked or not: the mask multiplies the "
                 "loss of a step by 0, it does not skip the step.",
            "c": "look at the table again: what is the target while the input arrives? Echoing the input "
                 "would be marked wrong there, not rewarded.",
        },
        "explanation": "Nothing the network outputs before the delimiter is part of the copy. Scoring those "
                       "zeros would add easy points that say nothing about memory, and make the cost depend "
                       "on them; the mask keeps the cost about the recall alone.",
    },
    "Exercise 6.5": {
        "choices": {
            "a": "During the input, a step with no bit set looks like the steps after the delimiter, whose "
                 "inputs are all zeros too.",
            "b": "An all-zero vector erases the memory row it is written to.",
            "c": "A zero input makes the key zero, and the cosine similarity of eq. 6 divides by zero.",
            "d": "The controller's LSTM resets its state when it sees a zero input.",
        },
        "answer": "a",
        "hints": {
            "b": "the input never reaches the memory directly: the erase and add vectors come from the "
                 "controller (eq. 3-4), and an all-zero vector is written like any other.",
            "c": "the key comes from the controller, which also sees its own state and the last read, so a "
                 "zero input does not give a zero key; and the small ε in eq. 6's denominator keeps the "
                 "similarity finite.",
            "d": "an LSTM has no such reset: its gates are computed from the input *and* its state, and with "
                 "a zero input its biases and state still drive them.",
        },
        "explanation": "The network learned the shortcut its data allowed. Rare inputs deserve their own "
                       "tests: training on them helps, but does not prove it learned the intended rule.",
    },
    "Exercise 7.2": {
        "choices": {
            "a": "The LSTM's state is too small: a fixed set of numbers cannot hold a sequence longer than "
                 "the ones it trained on, while the NTM's memory can.",
            "b": "The LSTM's gradients vanish over long sequences, so it forgets the first vectors before "
                 "the recall starts; the NTM's memory keeps them whatever the gradients do.",
            "c": "The LSTM learned a code for its fixed-size state that works for the lengths it saw; the "
                 "NTM learned a loop (write to the next slot, read from the next slot) that runs for any "
                 "length its memory holds.",
            "d": "Longer sequences contain 8-bit vectors the LSTM never saw in training; the NTM finds each "
                 "vector in memory by content, so a new vector does not matter to it.",
        },
        "answer": "c",
        "hints": {
            "a": "compare the numbers printed in section 1: the LSTM's state has more numbers than even the "
                 "longest test copy has bits. The size of the state is not what stops it; what it learned "
                 "to do with it is.",
            "b": "vanishing gradients make training slow, but this is a trained model being tested: no "
                 "gradient is computed while it copies, and at the training lengths it carries every vector "
                 "across the whole sequence.",
            "d": "every vector is 8 random bits, so all 256 possible vectors appear many times in training. "
                 "What is new in a longer sequence is its length, not its vectors.",
        },
        "explanation": "Nothing pushed the LSTM's code to work beyond the training lengths, and it does not. "
                       "The NTM's program addresses memory by location: the same step repeated, one slot on.",
    },
    "Exercise 7.3": {
        "choices": {
            "a": "A memory with more slots, with the same trained weights.",
            "b": "Nothing: it already copies any length, since its program is a loop.",
            "c": "A larger controller (more LSTM units), with the same number of slots.",
        },
        "answer": "a",
        "hints": {
            "b": "the loop is length-independent, but every vector needs a slot of its own: a longer "
                 "sequence overwrites its own beginning before it is read back.",
            "c": "the controller's program already steps one slot at a time; what it runs out of is slots, "
                 "not units.",
        },
        "explanation": "The limit is the memory's, not the program's.",
    },
    "Exercise 8.2": {
        "choices": {
            "a": "The 32 probabilities are too many numbers for a network's weights to hold.",
            "b": "The table is drawn anew for every sequence, so it must be estimated from the bits of this "
                 "sequence while reading it.",
            "c": "The bits are random, so the network must remember them to predict them.",
            "d": "The context of 5 bits is longer than what a controller sees at one step.",
        },
        "answer": "b",
        "hints": {
            "a": "a network of a few thousand weights could store 32 numbers easily; ask what stops fixed "
                 "weights from being right for every sequence.",
            "c": "randomness limits how well any predictor can do (the oracle's cost), it does not by itself "
                 "call for memory: a fixed table would need none.",
            "d": "an LSTM's state or a short shift register could carry 5 bits; that alone would let it look "
                 "up a fixed table.",
        },
        "explanation": "Fixed weights can only hold what is true of every sequence; the counts per context "
                       "are true of this one only, so they must be written somewhere while reading: memory "
                       "(or a recurrent state) that changes.",
    },
    "Exercise 8.4": {
        "choices": {
            "a": "The content lookup returns the stored vector with the highest priority first.",
            "b": "Slots then hold the vectors in order of priority, so a read head that steps one slot at a "
                 "time (a location-based shift) reads them out sorted.",
            "c": "The write head moves one slot per input, as in the copy task, so reading back in order "
                 "sorts them.",
            "d": "When the memory is full the rows rearrange themselves by priority.",
        },
        "answer": "b",
        "hints": {
            "a": "content addressing (eq. 5-6) scores similarity to a key; no key asks for 'the largest', "
                 "so similarity cannot find a maximum by itself.",
            "c": "moving one slot per input stores the vectors in arrival order; reading them back in order "
                 "returns the input order, not a sorted one.",
            "d": "memory rows change only where a head writes (eq. 3-4); nothing moves them.",
        },
        "explanation": "The write address carries the ordering; reading is then the copy task's sweep. The "
                       "content/location mix is what lets a head turn a number into an address.",
    },
    "Exercise 9.1": {
        "choices": {
            "a": "addressing rows by their similarity to a key (eq. 5-6)",
            "b": "reading a weighted sum of memory rows (eq. 2)",
            "c": "a softmax that turns scores into a weighting over the rows",
            "d": "erasing and adding to a memory row after the memory has been filled (eq. 3-4)",
        },
        "answer": "d",
        "hints": {
            "a": "compare the two bar charts above: the query-key score is a similarity, a dot product where "
                 "the NTM uses a cosine.",
            "b": "the last cell checked that every output row of self-attention equals memory.read.",
            "c": "both formulas above start with a softmax over the rows.",
        },
        "explanation": "The keys and values are computed from the layer's input once; no step of the layer "
                       "changes a row already there (a decoder's cache only appends rows).",
    },
    "Exercise 9.2": {
        "choices": {
            "a": "all of them: the controller looks at the whole memory",
            "b": "only those holding one value per slot: the initial memory and the initial weightings",
            "c": "the controller's input weights, because the read vectors get longer",
            "d": "none: the memory is state, not a weight",
        },
        "answer": "b",
        "hints": {
            "a": "the controller sees the memory only through the read vectors, and a read (eq. 2) returns "
                 "one row-sized vector however many rows there are.",
            "c": "a read vector has one entry per column of the memory (its width M), not per slot.",
            "d": "the memory is state, but every sequence starts it, and the heads' weightings, from stored "
                 "starting values: how long are those?",
        },
        "explanation": "The controller, the heads' parameters and the output layer never see N; only the "
                       "starting values with one entry per slot do.",
    },
}
