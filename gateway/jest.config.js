module.exports = require('../schema/jest.preset.js')(__dirname, 'gateway');
