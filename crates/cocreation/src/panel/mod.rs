//! Citizens' panels by stratified sortition: LEGACY, MAXIMIN, LEXIMIN and NASH lotteries.
