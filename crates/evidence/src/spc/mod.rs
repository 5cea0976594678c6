//! Run and control charts with qicharts2's behaviour, Anhøj's rules and the NHS rules.
